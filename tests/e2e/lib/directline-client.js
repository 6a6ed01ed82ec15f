'use strict';
// A headless chat account talking Direct Line 3.0 through botframework-directlinejs in Node.
global.XMLHttpRequest = global.XMLHttpRequest || require('xhr2');
global.WebSocket = global.WebSocket || require('ws');
const { DirectLine, ConnectionStatus } = require('botframework-directlinejs');

class DirectLineAccount {
  /**
   * @param {{ directLineDomain: string, userId: string, name?: string, locale?: string }} options
   */
  constructor({ directLineDomain, userId, name, locale = 'zh-CN' }) {
    this.user = { id: userId, name: name || userId };
    this.locale = locale;
    this.received = [];
    this.waiters = new Set();
    this.directLine = new DirectLine({ domain: directLineDomain, webSocket: false, token: 'local', pollingInterval: 300 });
    this.subscription = this.directLine.activity$.subscribe({
      next: (activity) => {
        if (activity.from && activity.from.id === this.user.id) return;
        this.received.push(activity);
        for (const waiter of this.waiters) waiter();
      },
      error: (error) => { this.failure = error; },
    });
  }

  /** Resolves once the conversation is online (the bot answered the conversationUpdate). */
  async connect(timeoutMs = 30000) {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Direct Line did not come online (did the bot answer conversationUpdate with 2xx?)')), timeoutMs);
      const sub = this.directLine.connectionStatus$.subscribe((status) => {
        if (status === ConnectionStatus.Online) { clearTimeout(timer); sub.unsubscribe?.(); resolve(); }
        if (status === ConnectionStatus.FailedToConnect || status === ConnectionStatus.ExpiredToken) {
          clearTimeout(timer); reject(new Error(`Direct Line connection failed (status ${status})`));
        }
      });
    });
  }

  /**
   * Sends text (or a message activity's fields) and returns the first bot message after it that
   * satisfies `until`. Waits for quiet before sending and after the match, so `lastReplies`
   * then holds every bot activity that answered this message.
   */
  async say(textOrFields, { timeoutMs = 30000, until } = {}) {
    await this.settle();
    const mark = this.received.length;
    const fields = typeof textOrFields === 'string' ? { text: textOrFields } : textOrFields;
    await new Promise((resolve, reject) => {
      this.directLine.postActivity({ type: 'message', from: this.user, locale: this.locale, ...fields })
        .subscribe({ next: resolve, error: reject });
    });
    const reply = await this.waitForReply(mark, { timeoutMs, until });
    await this.settle();
    this.lastReplies = this.received.slice(mark);
    return reply;
  }

  /** Resolves once nothing new has arrived for `quietMs`. */
  async settle(quietMs = 1000, maxMs = 15000) {
    const start = Date.now();
    let count = this.received.length;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs && Date.now() - start < maxMs) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (this.received.length !== count) { count = this.received.length; quietSince = Date.now(); }
    }
  }

  /** Text of everything the bot said in answer to the last message. */
  lastRepliesText() {
    return (this.lastReplies || []).map(activityText).join('\n');
  }

  /** Presses a suggested action or card button the way Web Chat does. */
  press(action, options) {
    switch (action.type) {
      case 'imBack':
        return this.say({ text: String(action.value) }, options);
      case 'postBack':
        return this.say(typeof action.value === 'string'
          ? { text: action.value, channelData: { postBack: true } }
          : { value: action.value, channelData: { postBack: true } }, options);
      case 'messageBack':
        return this.say({ text: action.text, value: action.value, channelData: { messageBack: { displayText: action.displayText } } }, options);
      case 'Action.Submit':
      case 'Action.Execute': {
        const data = action.data;
        if (typeof data === 'string') return this.say({ text: data }, options);
        const teamsBack = data && data.msteams;
        if (teamsBack && teamsBack.type === 'messageBack') {
          return this.say({ text: teamsBack.text, value: teamsBack.value, channelData: { messageBack: { displayText: teamsBack.displayText } } }, options);
        }
        if (teamsBack && teamsBack.type === 'imBack') return this.say({ text: String(teamsBack.value) }, options);
        return this.say({ value: data, channelData: { postBack: true } }, options);
      }
      default:
        throw new Error(`cannot press an action of type ${action.type}`);
    }
  }

  /**
   * Waits for a bot message received after index `mark` (and, with `until`, one that satisfies it).
   */
  waitForReply(mark, { timeoutMs = 30000, until = () => true } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.received.slice(mark).find((a) => a.type === 'message' && until(a));
        if (found) { finish(); resolve(found); }
      };
      const timer = setTimeout(() => {
        finish();
        const seen = this.received.slice(mark).map(activityText).join('\n---\n') || '(nothing)';
        reject(new Error(`no matching bot reply within ${timeoutMs} ms; received after sending:\n${seen}`));
      }, timeoutMs);
      const finish = () => { clearTimeout(timer); this.waiters.delete(check); };
      this.waiters.add(check);
      check();
    });
  }

  end() {
    this.subscription.unsubscribe();
    this.directLine.end();
  }
}

/** All human-readable text of an activity: text, suggested actions, card bodies and buttons. */
function activityText(activity) {
  const parts = [];
  if (activity.text) parts.push(activity.text);
  for (const action of suggestedActions(activity)) parts.push(`[${action.title || action.value}]`);
  for (const attachment of activity.attachments || []) collectText(attachment.content, parts);
  return parts.join('\n');
}

function collectText(node, parts) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) { node.forEach((n) => collectText(n, parts)); return; }
  for (const key of ['text', 'title', 'subtitle', 'value']) {
    if (typeof node[key] === 'string' && !(key === 'value' && node.type && node.type.startsWith('Action'))) parts.push(node[key]);
  }
  for (const [key, child] of Object.entries(node)) {
    if (typeof child === 'object' && key !== 'data') collectText(child, parts);
  }
}

function suggestedActions(activity) {
  return (activity.suggestedActions && activity.suggestedActions.actions) || [];
}

/** Adaptive Card actions (Action.Submit / Action.Execute), including those nested in ActionSets. */
function cardActions(activity) {
  const actions = [];
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (typeof node.type === 'string' && /^Action\.(Submit|Execute)$/.test(node.type)) actions.push(node);
    Object.values(node).forEach(visit);
  };
  for (const attachment of activity.attachments || []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.adaptive') visit(attachment.content);
  }
  return actions;
}

module.exports = { DirectLineAccount, activityText, suggestedActions, cardActions };
