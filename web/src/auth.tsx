/**
 * The signed-in staff member: who, with which permissions and area scope (GET /api/auth/me), login and logout.
 * The token lives in this tab's sessionStorage; a 401 from any call ends the session and the router sends the
 * user to the login page with the reason.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, getToken, onUnauthorized, setToken } from './api';
import { clearReferenceCache } from './hooks';
import type { Me, Permission } from './types';

interface AuthState {
  me: Me | null;
  /** True until the stored token has been checked. */
  checking: boolean;
  /** Why the last session ended (shown on the login page), if it was not a logout. */
  endedReason: string | null;
  can: (p: Permission | readonly Permission[] | undefined) => boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState<boolean>(() => getToken() !== null);
  const [endedReason, setEndedReason] = useState<string | null>(null);

  useEffect(() => {
    if (!getToken()) return;
    let live = true;
    api<Me>('/auth/me').then(
      (m) => {
        if (live) setMe(m);
      },
      () => undefined,
    ).finally(() => {
      if (live) setChecking(false);
    });
    return () => {
      live = false;
    };
  }, []);

  useEffect(
    () =>
      onUnauthorized((message) => {
        clearReferenceCache();
        setEndedReason(message || '登录已失效，请重新登录');
        setMe(null);
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const r = await api<{ token: string }>('/auth/login', { method: 'POST', body: { username, password }, anonymous: true });
    setToken(r.token);
    clearReferenceCache();
    const m = await api<Me>('/auth/me');
    setEndedReason(null);
    setMe(m);
    return m;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST' });
    } catch {
      // the session may already be gone; leaving is what matters
    }
    setToken(null);
    clearReferenceCache();
    setEndedReason(null);
    setMe(null);
  }, []);

  const value = useMemo<AuthState>(() => {
    const perms = new Set(me?.permissions ?? []);
    return {
      me,
      checking,
      endedReason,
      can: (p) => (p === undefined ? true : typeof p === 'string' ? perms.has(p) : p.every((x) => perms.has(x))),
      login,
      logout,
    };
  }, [me, checking, endedReason, login, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
