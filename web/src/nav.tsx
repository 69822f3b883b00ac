/**
 * The console's map: seven sections of the 智慧医保 platform, each page with the permission it needs. A page
 * whose API is not built yet carries `planned` instead of a component and shows the 「建设中」 page. To bring a
 * section to life, give its item a `page` (a lazy import) and its `permission`, and remove `planned`.
 * The menu shows only what the signed-in role may open; a section with nothing visible disappears.
 */
import {
  AccountBookOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  PartitionOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { Permission, RoleCode } from './types';

export interface Planned {
  /** What the page will do, in one sentence. */
  summary: string;
  /** What it will show or let the user do. */
  features: string[];
  /** Which server work it waits for. */
  dependsOn: string;
}

export interface NavItem {
  key: string;
  path: string;
  label: string;
  /** Needed to see and open the page (all of them when a list). */
  permission?: Permission | readonly Permission[];
  /** Roles that see the item at all (default: every role that has the permission). */
  roles?: readonly RoleCode[];
  page?: LazyExoticComponent<ComponentType>;
  planned?: Planned;
  /** Not in the menu (detail pages); `parent` is the menu item to highlight. */
  hidden?: boolean;
  parent?: string;
}

export interface NavSection {
  key: string;
  label: string;
  icon: ReactNode;
  items: NavItem[];
}

/** The agency's own staff (not designated-institution users). */
const AGENCY: readonly RoleCode[] = ['handler', 'auditor', 'inspector', 'admin'];

export const NAV: NavSection[] = [
  {
    key: 'monitor',
    label: '运行监测',
    icon: <DashboardOutlined />,
    items: [
      { key: 'home', path: '/', label: '首页概览', page: lazy(() => import('./pages/Home')) },
      { key: 'dashboard', path: '/monitor/dashboard', label: '运行监测看板', permission: 'dashboard:read', page: lazy(() => import('./pages/Dashboard')) },
      { key: 'jobs', path: '/monitor/jobs', label: '后台任务', permission: 'job:read', page: lazy(() => import('./pages/Jobs')) },
      {
        key: 'fund-monitor',
        path: '/monitor/fund',
        label: '基金收支监测',
        roles: AGENCY,
        permission: 'dashboard:read',
        page: lazy(() => import('./pages/FundMonitor')),
      },
    ],
  },
  {
    key: 'settlement',
    label: '结算管理',
    icon: <AccountBookOutlined />,
    items: [
      { key: 'setl-records', path: '/settlement/records', label: '结算查询', permission: 'settlement:read', page: lazy(() => import('./pages/Settlements')) },
      { key: 'setl-record', path: '/settlement/records/:setl_id', label: '结算详情', permission: 'settlement:read', page: lazy(() => import('./pages/SettlementDetail')), hidden: true, parent: 'setl-records' },
      { key: 'setl-encounters', path: '/settlement/encounters', label: '就诊登记', permission: 'settlement:read', page: lazy(() => import('./pages/Encounters')) },
      { key: 'setl-reconcile', path: '/settlement/reconcile', label: '对账与清算', permission: 'settlement:read', roles: AGENCY, page: lazy(() => import('./pages/Reconcile')) },
    ],
  },
  {
    key: 'supervision',
    label: '智能监管',
    icon: <SafetyCertificateOutlined />,
    items: [
      { key: 'audit-rules', path: '/audit/rules', label: '规则库', permission: 'audit:read', page: lazy(() => import('./pages/AuditRules')) },
      { key: 'audit-kb', path: '/audit/knowledge', label: '知识库', permission: 'audit:read', page: lazy(() => import('./pages/AuditKnowledge')) },
      { key: 'audit-suspects', path: '/audit/suspects', label: '疑点清单', permission: 'audit:read', page: lazy(() => import('./pages/AuditSuspects')) },
      { key: 'audit-cases', path: '/audit/cases', label: '疑点审核案件', permission: 'audit:case:read', page: lazy(() => import('./pages/AuditCases')) },
      { key: 'audit-case', path: '/audit/cases/:case_id', label: '审核案件', permission: 'audit:case:read', page: lazy(() => import('./pages/AuditCaseDetail')), hidden: true, parent: 'audit-cases' },
      { key: 'audit-metrics', path: '/audit/metrics', label: '规则质量评价', permission: 'audit:read', page: lazy(() => import('./pages/AuditMetrics')) },
      { key: 'audit-alerts', path: '/audit/alerts', label: '事前事中提醒', permission: 'audit:read', page: lazy(() => import('./pages/AuditAlerts')) },
    ],
  },
  {
    key: 'payment',
    label: '支付方式',
    icon: <PartitionOutlined />,
    items: [
      { key: 'drg', path: '/payment/drg', label: 'DRG 分组与付费', permission: 'payment:read', page: lazy(() => import('./pages/Payment')) },
      { key: 'drg-hospital', path: '/payment/drg/hospitals/:fixmedins_code', label: '医院 DRG 付费', permission: 'payment:read', page: lazy(() => import('./pages/PaymentHospital')), hidden: true, parent: 'drg' },
      { key: 'dip', path: '/payment/dip', label: 'DIP 病种分值', permission: 'payment:read', page: lazy(() => import('./pages/Payment').then((m) => ({ default: m.DipPage }))) },
      { key: 'dip-hospital', path: '/payment/dip/hospitals/:fixmedins_code', label: '医院 DIP 付费', permission: 'payment:read', page: lazy(() => import('./pages/PaymentHospital')), hidden: true, parent: 'dip' },
      { key: 'setl-list', path: '/payment/setl-list', label: '医保结算清单', permission: 'payment:read', page: lazy(() => import('./pages/SetlLists')) },
    ],
  },
  {
    key: 'basic',
    label: '基础信息',
    icon: <DatabaseOutlined />,
    items: [
      { key: 'catalogue', path: '/basic/catalogue', label: '医保目录', permission: 'catalogue:read', page: lazy(() => import('./pages/Catalogue')) },
      { key: 'institutions', path: '/basic/institutions', label: '定点医药机构', permission: 'institution:read', page: lazy(() => import('./pages/Institutions')) },
      { key: 'practitioners', path: '/basic/practitioners', label: '医保医师', permission: 'practitioner:read', page: lazy(() => import('./pages/Practitioners')) },
      { key: 'dict', path: '/basic/dict', label: '码表与区划', permission: 'dict:read', page: lazy(() => import('./pages/Dict')) },
    ],
  },
  {
    key: 'enrollment',
    label: '参保管理',
    icon: <TeamOutlined />,
    items: [
      { key: 'persons', path: '/enrollment/persons', label: '参保人员', permission: 'person:read', page: lazy(() => import('./pages/Persons')) },
      { key: 'person', path: '/enrollment/persons/:psn_no', label: '参保人员信息', permission: 'person:read', page: lazy(() => import('./pages/PersonDetail')), hidden: true, parent: 'persons' },
    ],
  },
  {
    key: 'system',
    label: '系统管理',
    icon: <SettingOutlined />,
    items: [
      { key: 'users', path: '/system/users', label: '用户管理', permission: 'user:read', page: lazy(() => import('./pages/Users')) },
      { key: 'oplog', path: '/system/oplog', label: '操作日志', permission: 'oplog:read', page: lazy(() => import('./pages/Oplog')) },
    ],
  },
];

export const ALL_ITEMS: (NavItem & { section: NavSection })[] = NAV.flatMap((section) => section.items.map((item) => ({ ...item, section })));

export function visibleTo(item: NavItem, role: RoleCode | undefined, can: (p: NavItem['permission']) => boolean): boolean {
  if (item.roles && (!role || !item.roles.includes(role))) return false;
  return can(item.permission);
}
