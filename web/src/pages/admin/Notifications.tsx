// 通知管理: deliveries, group robots, test messages and channel settings,
// one tab each under /admin/notifications/<tab>.
import { Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import '../../i18n/notify';
import DeliveriesTab from './NotifyDeliveries';
import RobotsTab from './NotifyRobots';
import TestTab from './NotifyTest';
import ChannelsTab from './NotifyChannels';

const TABS = ['deliveries', 'robots', 'test', 'channels'] as const;

export default function NotificationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { tab = 'deliveries' } = useParams();
  if (!(TABS as readonly string[]).includes(tab)) return <Navigate to="/admin/notifications/deliveries" replace />;
  const pane = { deliveries: <DeliveriesTab />, robots: <RobotsTab />, test: <TestTab />, channels: <ChannelsTab /> };
  const titles = { deliveries: t('deliveries.title'), robots: t('robots.title'), test: t('testMsg.title'), channels: t('channels.title') };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="small">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('admin.notifications')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(`/admin/notifications/${k}`)}
        destroyOnHidden
        items={TABS.map((k) => ({ key: k, label: <span data-testid={`tab-${k}`}>{titles[k]}</span>, children: pane[k] }))}
      />
    </Space>
  );
}
