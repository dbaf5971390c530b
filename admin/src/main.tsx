/** The admin app: routes, the session gate, and code-split screens (the editor loads only when opened). */
import { lazy, StrictMode, Suspense, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes, useLocation } from 'react-router-dom';
import './styles.css';
import { Layout } from './components/Layout';
import { Loading } from './components/Feedback';
import { SessionProvider, useSessionContext } from './session';
import { SessionExpiredDialog, SignIn } from './pages/SignIn';
import { Setup } from './pages/Setup';
import { ResetPassword } from './pages/ResetPassword';
import { AcceptInvitation } from './pages/AcceptInvitation';
import Dashboard from './pages/Dashboard';
import Articles from './pages/Articles';

const ArticleEditor = lazy(() => import('./pages/ArticleEditor'));
const TopStories = lazy(() => import('./pages/TopStories'));
const Media = lazy(() => import('./pages/Media'));
const Sections = lazy(() => import('./pages/Sections'));
const Tags = lazy(() => import('./pages/Tags'));
const Authors = lazy(() => import('./pages/Authors'));
const Staff = lazy(() => import('./pages/Staff'));
const Settings = lazy(() => import('./pages/Settings'));
const SocialAccounts = lazy(() => import('./pages/SocialAccounts'));
const Newsletters = lazy(() => import('./pages/Newsletters'));
const Subscribers = lazy(() => import('./pages/Subscribers'));
const Subscriber = lazy(() => import('./pages/Subscriber'));
const SubscriberImport = lazy(() => import('./pages/SubscriberImport'));
const Suppressions = lazy(() => import('./pages/Suppressions'));
const Donations = lazy(() => import('./pages/Donations'));
const Donors = lazy(() => import('./pages/Donors'));
const NewsletterCompose = lazy(() => import('./pages/NewsletterCompose'));
const NewsletterSends = lazy(() => import('./pages/NewsletterSends'));
const NewsletterSend = lazy(() => import('./pages/NewsletterSend'));
const Account = lazy(() => import('./pages/Account'));
const Prompts = lazy(() => import('./pages/Prompts'));
const PromptEditor = lazy(() => import('./pages/PromptEditor'));
const PromptStats = lazy(() => import('./pages/PromptStats'));
const PushAlerts = lazy(() => import('./pages/PushAlerts'));
const ApiKeys = lazy(() => import('./pages/ApiKeys'));

/** Signed-in screens; signed out, the sign-in form shows in place (the address is kept). */
function SignedIn({ children }: { children: ReactNode }) {
  const { session, expired } = useSessionContext();
  if (session === undefined) return <Loading />;
  if (session === null) return <SignIn />;
  return (
    <>
      {children}
      {expired ? <SessionExpiredDialog email={session.user.email} /> : null}
    </>
  );
}

/** Moves focus to the new screen's main area after navigation, so keyboard and screen-reader users land there. */
function FocusOnNavigate() {
  const location = useLocation();
  useEffect(() => {
    const main = document.getElementById('main');
    if (main && document.activeElement === document.body) main.focus({ preventScroll: true });
  }, [location.pathname]);
  return null;
}

function NotFound() {
  return (
    <div className="narrow">
      <h1>Not found</h1>
      <p>There is no such screen in the admin.</p>
    </div>
  );
}

function App() {
  return (
    <BrowserRouter basename="/admin">
      <FocusOnNavigate />
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/setup" element={<Setup />} />
          <Route path="/reset-password" element={<ResetPassword />} />
          <Route path="/accept-invitation" element={<AcceptInvitation />} />
          <Route
            element={
              <SignedIn>
                <Layout />
              </SignedIn>
            }
          >
            <Route index element={<Dashboard />} />
            <Route path="articles" element={<Articles />} />
            <Route path="articles/new" element={<ArticleEditor />} />
            <Route path="articles/:id" element={<ArticleEditor />} />
            <Route path="top-stories" element={<TopStories />} />
            <Route path="media" element={<Media />} />
            <Route path="sections" element={<Sections />} />
            <Route path="tags" element={<Tags />} />
            <Route path="authors" element={<Authors />} />
            <Route path="staff" element={<Staff />} />
            <Route path="settings" element={<Settings />} />
            <Route path="social-accounts" element={<SocialAccounts />} />
            <Route path="api-keys" element={<ApiKeys />} />
            <Route path="newsletters" element={<Newsletters />} />
            <Route path="newsletters/:id/compose" element={<NewsletterCompose />} />
            <Route path="newsletters/:id/sends" element={<NewsletterSends />} />
            <Route path="newsletter-sends/:id" element={<NewsletterSend />} />
            <Route path="subscribers" element={<Subscribers />} />
            <Route path="subscribers/import" element={<SubscriberImport />} />
            <Route path="subscribers/:id" element={<Subscriber />} />
            <Route path="suppressions" element={<Suppressions />} />
            <Route path="donations" element={<Donations />} />
            <Route path="donors" element={<Donors />} />
            <Route path="prompts" element={<Prompts />} />
            <Route path="prompts/new" element={<PromptEditor />} />
            <Route path="prompts/:id" element={<PromptEditor />} />
            <Route path="prompts/:id/stats" element={<PromptStats />} />
            <Route path="push-alerts" element={<PushAlerts />} />
            <Route path="account" element={<Account />} />
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
);
