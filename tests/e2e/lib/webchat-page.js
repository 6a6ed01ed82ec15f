'use strict';
// One chat account in a Web Chat page (webchat/index.html) rendered by Chromium. Everything is
// read from the rendered DOM: what a person would see.
const { artifactsDir, artifactPath } = require('./artifacts');
const TRANSCRIPT_ITEM = 'article.webchat__basic-transcript__activity';
const FROM_USER = '.webchat__stacked-layout--from-user';

class WebChatPage {
  constructor(page, label) {
    this.page = page;
    this.label = label;
    this.consoleErrors = [];
    page.on('console', (message) => { if (message.type() === 'error') this.consoleErrors.push(message.text()); });
    page.on('pageerror', (error) => this.consoleErrors.push(error.message));
  }

  /** Opens the page served by the local Direct Line server as the given chat account. */
  static async open(browser, directLineUrl, { userId, name, locale = 'zh-CN', label = userId }) {
    const page = await browser.newPage();
    const chat = new WebChatPage(page, label);
    const query = new URLSearchParams({ user: userId, name: name || userId, locale });
    await page.goto(`${directLineUrl}/?${query}`);
    await page.locator('[data-id="webchat-sendbox-input"]').waitFor({ state: 'visible', timeout: 30000 });
    return chat;
  }

  /** Rendered text of each bot activity in the transcript, oldest first. */
  botTexts() {
    return this.page.$$eval(TRANSCRIPT_ITEM, (items, fromUser) => items
      .filter((item) => !item.querySelector(fromUser))
      .map((item) => item.innerText.trim()), FROM_USER);
  }

  /**
   * Waits for a bot activity rendered after the first `mark` ones whose text satisfies `until`
   * (a RegExp, a string it must contain, or a predicate). Returns its text.
   */
  async waitForBot(mark, until = () => true, timeoutMs = 30000) {
    const matches = typeof until === 'function' ? until
      : until instanceof RegExp ? (text) => until.test(text)
        : (text) => text.includes(until);
    const deadline = Date.now() + timeoutMs;
    let texts = [];
    while (Date.now() < deadline) {
      texts = (await this.botTexts()).slice(mark);
      const found = texts.find(matches);
      if (found !== undefined) return found;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`[${this.label}] no bot message matching ${until} within ${timeoutMs} ms; ` +
      `bot messages since sending:\n${texts.join('\n---\n') || '(none)'}` +
      (this.consoleErrors.length ? `\nbrowser errors:\n${this.consoleErrors.join('\n')}` : ''));
  }

  /**
   * Waits until no new bot message has appeared for `quietMs`, so that late replies (a greeting,
   * the second half of an answer) are not mistaken for the reply to the next message.
   */
  async settle(quietMs = 1000, maxMs = 15000) {
    const start = Date.now();
    let count = (await this.botTexts()).length;
    let quietSince = Date.now();
    while (Date.now() - quietSince < quietMs && Date.now() - start < maxMs) {
      await this.page.waitForTimeout(200);
      const now = (await this.botTexts()).length;
      if (now !== count) { count = now; quietSince = Date.now(); }
    }
  }

  /**
   * Runs `act` (which sends something), waits for a bot message matching `until`, lets the
   * transcript settle and returns the text of every bot message that came after sending.
   */
  async exchange(act, until, timeoutMs) {
    await this.settle();
    const mark = (await this.botTexts()).length;
    await act();
    await this.waitForBot(mark, until, timeoutMs);
    await this.settle();
    return (await this.botTexts()).slice(mark).join('\n');
  }

  /** Types a message into the send box; returns the bot's reply (see exchange). */
  say(text, until, timeoutMs) {
    return this.exchange(async () => {
      const box = this.page.locator('[data-id="webchat-sendbox-input"]');
      await box.fill(text);
      await box.press('Enter');
    }, until, timeoutMs);
  }

  /** Titles of the suggested-action buttons shown above the send box. */
  async suggestedActions(timeoutMs = 30000) {
    const buttons = this.page.locator('.webchat__suggested-actions button');
    await buttons.first().waitFor({ state: 'visible', timeout: timeoutMs });
    return (await buttons.allInnerTexts()).map((t) => t.trim());
  }

  /** Presses the suggested action with this title and returns the bot's reply. */
  pressSuggestedAction(title, until, timeoutMs) {
    return this.exchange(
      () => this.page.locator('.webchat__suggested-actions button', { hasText: title }).first().click(),
      until, timeoutMs);
  }

  /** The rendered Adaptive Cards whose text satisfies `matches` (a RegExp), newest last. */
  cards(matches) {
    return this.page.locator(`${TRANSCRIPT_ITEM} .ac-adaptiveCard`, { hasText: matches });
  }

  /** Presses a button of an Adaptive Card and returns the bot's reply. */
  pressCardButton(card, buttonName, until, timeoutMs) {
    return this.exchange(() => card.getByRole('button', { name: buttonName }).first().click(), until, timeoutMs);
  }

  async screenshot(name) {
    const file = artifactPath(`${name}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }
}

module.exports = { WebChatPage, artifactsDir };
