/** The prompt script and styles, addressed by content hash like the site's other assets (src/site/assets.ts). */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { publicDir } from '../shared/paths.js';

export interface PromptAssets {
  script: string;
  css: string;
}

export const PROMPT_SCRIPT_FILE = path.join(publicDir, 'assets', 'prompts.js');

function versioned(file: string): string {
  const content = fs.readFileSync(path.join(publicDir, 'assets', file));
  const hash = createHash('sha1').update(content).digest('hex').slice(0, 10);
  return `/assets/${file}?v=${hash}`;
}

export function loadPromptAssets(): PromptAssets {
  return { script: versioned('prompts.js'), css: versioned('prompts.css') };
}
