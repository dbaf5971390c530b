/**
 * Route schemas compiled on first use instead of at start-up. Fastify compiles
 * every route's validator (Ajv) and response serializer (fast-json-stringify)
 * when the server starts; with the Admin API that was a third of start-up CPU,
 * for routes most processes (a reader-facing `serve` node) rarely or never call.
 * The compilers are Fastify's own defaults, only deferred; a schema mistake now
 * shows at a route's first request, and the test suite calls every route.
 * With a custom factory Fastify no longer lower-cases header schemas: name
 * headers in lowercase in any `schema.headers`.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type BuildValidator = (externalSchemas: unknown, options: unknown) => (route: unknown) => Validate;
type BuildSerializer = (externalSchemas: unknown, options: unknown) => (route: unknown) => (data: unknown) => string;

const defaultValidatorFactory = (AjvCompiler as unknown as () => BuildValidator)();
const defaultSerializerFactory = (SerializerSelector as unknown as () => BuildSerializer)();

export const lazyValidatorFactory: BuildValidator = (externalSchemas, options) => {
  const build = defaultValidatorFactory(externalSchemas, options);
  return (route) => {
    let compiled: Validate | undefined;
    const validate: Validate = (data) => {
      compiled ??= build(route);
      return compiled(data);
    };
    // Fastify reads `errors` from the function after a failed validation.
    Object.defineProperty(validate, 'errors', { get: () => compiled?.errors });
    return validate;
  };
};

export const lazySerializerFactory: BuildSerializer = (externalSchemas, options) => {
  const build = defaultSerializerFactory(externalSchemas, options);
  return (route) => {
    let compiled: ((data: unknown) => string) | undefined;
    return (data) => {
      compiled ??= build(route);
      return compiled(data);
    };
  };
};
