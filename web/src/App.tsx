/**
 * Routes: /login, /wall (the 运行监测 wall display, signed in but without the console frame), then every page of
 * the navigation inside the console layout. A page the role may not open
 * answers 「无权访问」 (403) in place; an unknown path 「页面不存在」 (404). Signed-out visitors go to /login and
 * come back to where they were after signing in.
 */
import { Result, Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { ConsoleLayout } from './components/ConsoleLayout';
import { Placeholder } from './components/Placeholder';
import { ALL_ITEMS, visibleTo, type NavItem, type NavSection } from './nav';
import { LoginPage } from './pages/Login';
import { PERMISSION_NAMES } from './permissions';

/** The 1920×1080 wall display: full screen, no console frame. */
const Wall = lazy(() => import('./pages/Wall'));

function RequireAuth({ children }: { children: React.ReactNode }) {
  const { me, checking } = useAuth();
  const location = useLocation();
  if (checking) return <Spin fullscreen description="正在验证登录状态…" />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

function Guard({ item }: { item: NavItem & { section: NavSection } }) {
  const { me, can } = useAuth();
  if (!visibleTo(item, me?.user.role, can)) {
    const perms = item.permission === undefined ? [] : typeof item.permission === 'string' ? [item.permission] : item.permission;
    const need = perms.map((p) => `“${PERMISSION_NAMES[p]}”`).join('、');
    return <Result status="403" title="无权访问" subTitle={need ? `您的角色（${me?.user.role_name ?? ''}）没有${need}权限，无法打开「${item.label}」。如需使用，请联系本区划管理员。` : `「${item.label}」不对您的角色（${me?.user.role_name ?? ''}）开放。`} />;
  }
  if (item.page) {
    const Page = item.page;
    return (
      <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '120px auto' }} />}>
        <Page />
      </Suspense>
    );
  }
  return <Placeholder item={item} />;
}

function NotFoundPage() {
  return <Result status="404" title="页面不存在" subTitle="您访问的页面不存在，请从左侧菜单进入。" />;
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route
            path="/wall"
            element={
              <RequireAuth>
                <Suspense fallback={<Spin fullscreen description="正在打开运行监测大屏…" />}>
                  <Wall />
                </Suspense>
              </RequireAuth>
            }
          />
          <Route
            element={
              <RequireAuth>
                <ConsoleLayout />
              </RequireAuth>
            }
          >
            {ALL_ITEMS.map((item) => (
              <Route key={item.key} path={item.path} element={<Guard item={item} />} />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}
