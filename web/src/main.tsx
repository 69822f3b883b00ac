/** Entry of the staff console: Chinese locale for antd and dayjs, the theme, then the app. */
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

dayjs.locale('zh-cn');

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <ConfigProvider
      locale={zhCN}
      theme={{
        token: {
          colorPrimary: '#1261c7',
          colorInfo: '#1261c7',
          borderRadius: 6,
          fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif',
        },
        components: {
          Layout: { siderBg: '#0b2545', triggerBg: '#0a1f3a', headerBg: '#ffffff', headerPadding: '0 20px', headerHeight: 56 },
          Menu: { darkItemBg: '#0b2545', darkSubMenuItemBg: '#081c36', darkItemSelectedBg: '#1261c7' },
        },
      }}
    >
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
