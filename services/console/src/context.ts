/** What every page reads: the configuration, the session, the API, and how to end the session. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';
import type { Session } from './auth/session';
import type { ConsoleConfig } from './config';

export interface AppContext {
  config: ConsoleConfig;
  session: Session;
  api: Api;
  /** The API said 401 or the token ran out: forget the session and ask to sign in again. */
  expire: () => void;
  signOut: () => void;
}

export const App = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const context = useContext(App);
  if (!context) throw new Error('useApp outside the signed-in app');
  return context;
}
