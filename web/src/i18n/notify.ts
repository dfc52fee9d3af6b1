// Texts of the notification screens (通知设置, 通知管理), loaded with them
// rather than with every screen (the staff screens' bundle budget), added
// through ./bundle.
import { addTexts } from './bundle';

const zhCN = {
  notify: { settings: '通知设置', language: '消息语言', languageHint: '邮件和企业微信消息使用的语言（与界面语言无关）', matrix: '接收哪些通知', matrixHint: '勾选表示接收。关闭企业微信后，有邮箱时改用邮件通知。', kind: '通知类型', all: '全部', saved: '通知设置已保存', kept: '另有 {{count}} 项此处未显示的设置，保存时保留', unsaved: '有未保存的修改',
    channels: { EMAIL: '邮件', WECOM_APP: '企业微信', WECOM_ROBOT: '群机器人' },
    kinds: { assigned: '新的待办', outcome: '审批结果', urged: '催办', commented: '评论', sla_reminder: '即将超时提醒', sla_due: '已超时', sla_escalated: '超时升级', sla_alarm: '超时报警', job_failed: '自动化执行异常', card_update: '卡片更新', submitted: '新工单', test: '测试消息' },
    langs: { 'zh-CN': '简体中文', en: 'English' },
  },
  deliveries: { title: '发送记录', id: 'ID', time: '时间', ticket: '工单', recipient: '接收人 ID', channel: '渠道', kind: '类型', status: '状态', attempts: '尝试次数', nextAttempt: '下次尝试', lastError: '最近错误', providerId: '服务商消息 ID', anyStatus: '全部状态', anyChannel: '全部渠道', ticketId: '工单 ID', retry: '重试', retried: '已重新排队', notRetried: '这条记录现在不能重试', retryDead: '重试全部死信', retryDeadConfirm: '把全部死信（按当前渠道筛选）重新发送？', retriedDead: '已重新排队 {{count}} 条死信', loadMore: '加载更多', end: '没有更多了', none: '没有发送记录',
    statuses: { PENDING: '待发送', SENDING: '发送中', SENT: '已发送', FAILED: '失败（将重试）', DEAD: '死信' },
  },
  robots: { title: '群机器人', name: '名称', keyHint: '密钥', template: '模板', department: '部门', allTemplates: '全部模板', allDepartments: '全部部门', active: '状态', activeYes: '启用', activeNo: '停用', create: '新建机器人', webhookKey: 'Webhook 密钥', webhookKeyHint: '群机器人 Webhook 地址中 key= 后面的部分；保存后不再显示。', remove: '删除', removeConfirm: '删除这个机器人？排队中的消息将不再发送。', created: '机器人已创建', removed: '机器人已删除', none: '还没有群机器人' },
  testMsg: { title: '测试消息', hint: '通过正式的发送流程给所选用户发一条测试消息，以检查渠道是否畅通。', user: '接收人', channel: '渠道', send: '发送测试消息', sent: '测试消息已排队', waiting: '等待发送记录…', result: '发送结果', delivery: '发送记录', again: '再次查看', sentAt: '发送时间', stillGoing: '尚未最终结果，可稍后再次查看' },
  channels: { title: '渠道设置', mail: '邮件（SMTP）', wecom: '企业微信应用', configured: '已启用', notConfigured: '未启用', callbackConfigured: '回调已配置', callbackNotConfigured: '回调未配置', smtpUrl: 'SMTP 地址', smtpHint: 'smtp://host:25、smtp://user:pass@host:587?tls=required 或 smtps://user:pass@host:465', current: '当前：{{value}}', mailFrom: '发件人', corpId: '企业 ID（CorpID）', agentId: '应用 AgentId', secret: '应用 Secret', token: '回调 Token', aesKey: '回调 EncodingAESKey', aesKeyHint: '企业微信显示的 43 位字符', set: '已设置', unset: '未设置', keep: '留空则保持当前值', clear: '清除', clearConfirm: '清除{{name}}？', cleared: '已清除{{name}}', callbackUrl: '回调 URL', callbackHint: '在企业微信管理后台“接收消息”中填写此地址，以及上面的 Token 和 EncodingAESKey。', saved: '渠道设置已保存', unchanged: '没有修改' }
};

type Deep<T> = { [K in keyof T]: T[K] extends string ? string : Deep<T[K]> };

const en: Deep<typeof zhCN> = {
  notify: { settings: 'Notifications', language: 'Message language', languageHint: 'The language of your mails and WeCom messages (not of this UI)', matrix: 'What you hear about', matrixHint: 'Checked means on. With WeCom off, mail is used when you have an address.', kind: 'Kind', all: 'All', saved: 'Notification settings saved', kept: '{{count}} more settings not shown here are kept when saving', unsaved: 'Unsaved changes',
    channels: { EMAIL: 'Mail', WECOM_APP: 'WeCom', WECOM_ROBOT: 'Group robot' },
    kinds: { assigned: 'New item for me', outcome: 'Outcome', urged: 'Urged', commented: 'Comment', sla_reminder: 'Due soon', sla_due: 'Overdue', sla_escalated: 'Escalated', sla_alarm: 'SLA alarm', job_failed: 'Automation failed', card_update: 'Card update', submitted: 'New ticket', test: 'Test message' },
    langs: { 'zh-CN': '简体中文', en: 'English' },
  },
  deliveries: { title: 'Deliveries', id: 'ID', time: 'Time', ticket: 'Ticket', recipient: 'Recipient id', channel: 'Channel', kind: 'Kind', status: 'Status', attempts: 'Attempts', nextAttempt: 'Next attempt', lastError: 'Last error', providerId: 'Provider id', anyStatus: 'Any status', anyChannel: 'Any channel', ticketId: 'Ticket id', retry: 'Retry', retried: 'Queued again', notRetried: 'This delivery cannot be retried now', retryDead: 'Retry all dead', retryDeadConfirm: 'Send every dead delivery (of the channel filtered) again?', retriedDead: '{{count}} dead deliveries queued again', loadMore: 'Load more', end: 'No more', none: 'No deliveries',
    statuses: { PENDING: 'Pending', SENDING: 'Sending', SENT: 'Sent', FAILED: 'Failed (will retry)', DEAD: 'Dead' },
  },
  robots: { title: 'Group robots', name: 'Name', keyHint: 'Key', template: 'Template', department: 'Department', allTemplates: 'All templates', allDepartments: 'All departments', active: 'Status', activeYes: 'Active', activeNo: 'Inactive', create: 'New robot', webhookKey: 'Webhook key', webhookKeyHint: 'The key= part of the robot\'s webhook URL; never shown again once saved.', remove: 'Delete', removeConfirm: 'Delete this robot? Its queued messages will not be sent.', created: 'Robot created', removed: 'Robot deleted', none: 'No group robots yet' },
  testMsg: { title: 'Test message', hint: 'Sends a test message to the chosen person through the real sender, to check a channel end to end.', user: 'Recipient', channel: 'Channel', send: 'Send test message', sent: 'Test message queued', waiting: 'Waiting for the delivery…', result: 'Result', delivery: 'Delivery', again: 'Check again', sentAt: 'Sent at', stillGoing: 'No final result yet; check again later' },
  channels: { title: 'Channels', mail: 'Mail (SMTP)', wecom: 'WeCom application', configured: 'On', notConfigured: 'Off', callbackConfigured: 'Callback set up', callbackNotConfigured: 'Callback not set up', smtpUrl: 'SMTP URL', smtpHint: 'smtp://host:25, smtp://user:pass@host:587?tls=required or smtps://user:pass@host:465', current: 'Now: {{value}}', mailFrom: 'Sender', corpId: 'Corp ID', agentId: 'AgentId', secret: 'Secret', token: 'Callback token', aesKey: 'Callback EncodingAESKey', aesKeyHint: 'The 43 characters WeCom shows', set: 'Set', unset: 'Not set', keep: 'Leave empty to keep the current value', clear: 'Clear', clearConfirm: 'Clear {{name}}?', cleared: '{{name}} cleared', callbackUrl: 'Callback URL', callbackHint: 'Enter this URL in the WeCom admin console under 接收消息 (receive messages), with the token and EncodingAESKey above.', saved: 'Channel settings saved', unchanged: 'Nothing changed' }
};

addTexts(zhCN, en);
