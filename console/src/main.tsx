import { render } from 'preact';
import { App } from './app.tsx';
import { useApiAt } from './api.ts';
import { keepToken, type ConsoleConfig } from './auth.ts';
import './style.css';

/** `config.json` beside the app says where the API is and how people sign in (local dev tokens, or Cognito). */
const config = (await (await fetch(`${import.meta.env.BASE_URL}config.json`)).json()) as ConsoleConfig;
useApiAt(config.apiUrl);
// Locally, `/console/login?role=R` lands on `#/signed-in?token=…`: keep the token, and take it out of the address.
if (location.hash.startsWith('#/signed-in')) {
  const token = new URLSearchParams(location.hash.split('?')[1] ?? '').get('token');
  if (token) keepToken(token);
  history.replaceState(null, '', `${location.pathname}#/today`);
}
render(<App config={config} />, document.getElementById('app')!);
