import { channelChange, secretState, type ChannelSettings } from './channels';

const none: ChannelSettings = {
  mail: { configured: false, smtpUrl: null, mailFrom: 'Signoff <signoff@localhost>' },
  wecom: { configured: false, callbackConfigured: false, corpId: null, agentId: null, secretSet: false, tokenSet: false, aesKeySet: false, callbackUrl: 'http://x/wecom/callback' },
};
const all: ChannelSettings = {
  mail: { configured: true, smtpUrl: 'smtp://u:***@h:25', mailFrom: 'A <a@x>' },
  wecom: { configured: true, callbackConfigured: true, corpId: 'ww1', agentId: 7, secretSet: true, tokenSet: true, aesKeySet: true, callbackUrl: 'http://x/wecom/callback' },
};
const shown = (s: ChannelSettings) => ({
  mailFrom: s.mail.mailFrom, wecomCorpId: s.wecom.corpId ?? '', wecomAgentId: s.wecom.agentId ?? null,
  smtpUrl: '', wecomSecret: '', wecomToken: '', wecomAesKey: '',
});

describe('channel settings form → updateChannelSettings input', () => {
  it('sends nothing for an untouched form', () => {
    expect(channelChange(shown(none), none)).toEqual({});
    expect(channelChange(shown(all), all)).toEqual({});
  });

  it('sends typed secrets and changed values, trimmed; empty secrets are kept', () => {
    const v = { ...shown(none), smtpUrl: ' smtp://h:25 ', wecomCorpId: 'ww2', wecomAgentId: 1000002, wecomAesKey: 'k' };
    expect(channelChange(v, none)).toEqual({ smtpUrl: 'smtp://h:25', wecomCorpId: 'ww2', wecomAgentId: 1000002, wecomAesKey: 'k' });
  });

  it('clears an emptied corp id and agent id ("" and 0)', () => {
    expect(channelChange({ ...shown(all), wecomCorpId: '  ', wecomAgentId: null }, all)).toEqual({ wecomCorpId: '', wecomAgentId: 0 });
  });

  it('says which secrets are set', () => {
    expect(secretState(none)).toEqual({ smtpUrl: false, wecomSecret: false, wecomToken: false, wecomAesKey: false });
    expect(secretState(all)).toEqual({ smtpUrl: true, wecomSecret: true, wecomToken: true, wecomAesKey: true });
  });
});
