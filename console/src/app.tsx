/**
 * The console's frame: who is signed in, the search box on every page, the navigation, and the pages by route
 * (hash routes, so a static host serves every page from one `index.html`).
 */
import { useEffect, useState } from 'preact/hooks';
import { Link, Route, Router, Switch, useLocation } from 'wouter-preact';
import { useHashLocation } from 'wouter-preact/use-hash-location';
import { currentSession, finishCognitoSignIn, signOut, startCognitoSignIn, type ConsoleConfig, type Session } from './auth.ts';
import { CustomerPage } from './pages/customer.tsx';
import { InvoicePage } from './pages/invoice.tsx';
import { ListsPage } from './pages/lists.tsx';
import { OrderPage } from './pages/order.tsx';
import { PaymentPage } from './pages/payment.tsx';
import { ReportsPage } from './pages/reports.tsx';
import { SearchPage } from './pages/search.tsx';
import { TodayPage } from './pages/today.tsx';
import { WorklistPage } from './pages/worklist.tsx';
import { roles } from '#shared/topology';

export function App({ config }: { config: ConsoleConfig }) {
  const [session, setSession] = useState<Session | undefined>(currentSession);
  useEffect(() => {
    // Back from Cognito's hosted UI with ?code=…: swap it for tokens, then clean the address.
    const answer = new URLSearchParams(location.search);
    const code = answer.get('code');
    if (config.auth.kind === 'cognito' && code) void finishCognitoSignIn(config.auth, code, answer.get('state')).then((signedIn) => {
      history.replaceState(null, '', location.pathname);
      setSession(signedIn);
    });
  }, []);
  return (
    <Router hook={useHashLocation}>
      <Switch>
        <Route>{() => (session ? <Shell session={session} onSignOut={() => { signOut(config.auth); setSession(undefined); }} /> : <SignIn config={config} />)}</Route>
      </Switch>
    </Router>
  );
}

function SignIn({ config }: { config: ConsoleConfig }) {
  return (
    <main class="sign-in">
      <h1>O2C console</h1>
      {config.auth.kind === 'cognito' ? (
        <button type="button" onClick={() => config.auth.kind === 'cognito' && void startCognitoSignIn(config.auth)}>
          Sign in
        </button>
      ) : (
        <>
          <p>Local runtime: sign in with a dev token for a role.</p>
          <ul>
            {roles.map((role) => (
              <li key={role}>
                <a href={`${import.meta.env.BASE_URL}login?role=${role}`}>Sign in as {role}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const [, navigate] = useLocation();
  const [query, setQuery] = useState('');
  return (
    <>
      <header>
        <nav aria-label="Main">
          <NavLink href="/today" section="/today">
            Today
          </NavLink>
          <NavLink href="/lists/invoices" section="/lists">
            Lists
          </NavLink>
          <NavLink href="/reports" section="/reports">
            Reports
          </NavLink>
        </nav>
        <form
          role="search"
          onSubmit={(event) => {
            event.preventDefault();
            if (query.trim()) navigate(`/search/${encodeURIComponent(query.trim())}`);
          }}
        >
          <label for="search">Search</label>
          <input id="search" type="search" value={query} placeholder="invoice, order, customer, payment reference" onInput={(event) => setQuery(event.currentTarget.value)} />
          <button type="submit">Search</button>
        </form>
        <p class="who">
          {session.user} ({session.roles.join(', ') || 'no role'}){' '}
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </p>
      </header>
      <main>
        <Switch>
          <Route path="/today">{() => <TodayPage />}</Route>
          <Route path="/worklists/:kind">{(params) => <WorklistPage kind={params.kind} session={session} />}</Route>
          <Route path="/search/:q">{(params) => <SearchPage q={decodeURIComponent(params.q)} />}</Route>
          <Route path="/customers/:id">{(params) => <CustomerPage key={params.id} id={decodeURIComponent(params.id)} />}</Route>
          <Route path="/invoices/:id">{(params) => <InvoicePage key={params.id} id={decodeURIComponent(params.id)} />}</Route>
          <Route path="/orders/:id">{(params) => <OrderPage key={params.id} id={decodeURIComponent(params.id)} />}</Route>
          <Route path="/payments/:id">{(params) => <PaymentPage key={params.id} id={decodeURIComponent(params.id)} />}</Route>
          <Route path="/lists">{() => <ListsPage kind="invoices" />}</Route>
          <Route path="/lists/:kind">{(params) => <ListsPage kind={params.kind} />}</Route>
          <Route path="/reports">{() => <ReportsPage />}</Route>
          <Route path="/reports/:currency/:to">{(params) => <ReportsPage currency={params.currency.toUpperCase()} to={params.to} />}</Route>
          <Route>{() => <TodayPage />}</Route>
        </Switch>
      </main>
    </>
  );
}

/** A main navigation link, marked as the current page while its section is shown. */
function NavLink({ href, section, children }: { href: string; section: string; children: preact.ComponentChildren }) {
  const [location] = useLocation();
  const current = location === section || location.startsWith(`${section}/`);
  return (
    <Link href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}
