// 渠道设置 as a change for updateChannelSettings: a field left out keeps
// its value on the server, an empty string (agent id 0) clears it. The form
// shows the current non-secret values; secrets are write-only, so their
// fields start empty and only what is typed into them is sent.
import type { ChannelSettingsInput, ChannelSettingsQuery } from '../gql/graphql';

export type ChannelSettings = ChannelSettingsQuery['channelSettings'];
export type Secret = 'smtpUrl' | 'wecomSecret' | 'wecomToken' | 'wecomAesKey';
export const SECRETS: Secret[] = ['smtpUrl', 'wecomSecret', 'wecomToken', 'wecomAesKey'];

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Whether each secret is set, as the server says. */
export function secretState(s: ChannelSettings): Record<Secret, boolean> {
  return { smtpUrl: !!s.mail.smtpUrl, wecomSecret: s.wecom.secretSet, wecomToken: s.wecom.tokenSet, wecomAesKey: s.wecom.aesKeySet };
}

/** The change the form's values ask for: what differs from `s`, and every secret typed in. */
export function channelChange(v: Record<string, unknown>, s: ChannelSettings): ChannelSettingsInput {
  const input: ChannelSettingsInput = {};
  if (text(v.mailFrom) !== s.mail.mailFrom) input.mailFrom = text(v.mailFrom);
  if (text(v.wecomCorpId) !== (s.wecom.corpId ?? '')) input.wecomCorpId = text(v.wecomCorpId);
  const agent = typeof v.wecomAgentId === 'number' ? v.wecomAgentId : null;
  if (agent !== (s.wecom.agentId ?? null)) input.wecomAgentId = agent ?? 0;
  for (const k of SECRETS) if (text(v[k])) input[k] = text(v[k]);
  return input;
}
