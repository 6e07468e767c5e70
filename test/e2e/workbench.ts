// The VS Code workbench in a page, driven the way a person would: the explorer, the command palette, the keyboard,
// CodeLens links. Locators follow the workbench's own DOM classes (stable across 1.9x–1.13x).
import { basename, join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';

const WORKBENCH_TIMEOUT_MS = 60_000;

export class Workbench {
  constructor(
    readonly page: Page,
    private readonly screenshotDir: string,
  ) {}

  /** Opens the URL and waits until the explorer shows the workspace's files. */
  async open(url: string): Promise<void> {
    await this.page.goto(url, { timeout: WORKBENCH_TIMEOUT_MS });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: WORKBENCH_TIMEOUT_MS });
  }

  async openFile(name: string): Promise<void> {
    await this.page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor();
    await this.editor().locator('.view-lines').waitFor();
  }

  /** Opens a file with Quick Open (Ctrl+P), into the active editor group, wherever it is in the explorer. */
  async quickOpen(name: string): Promise<void> {
    // A file written a moment ago may not be in the file search yet, and a webview taking the focus back (a panel
    // tab just clicked) closes the box under the typing: either way Quick Open is closed and asked again.
    for (let attempt = 1; ; attempt++) {
      await this.openQuickInput('Control+P');
      try {
        await this.page.locator('.quick-input-widget input').fill(name, { timeout: 5_000 });
        await this.page
          .locator('.quick-input-widget .monaco-list-row', { hasText: name })
          .first()
          .waitFor({ timeout: attempt < 6 ? 5_000 : 30_000 });
        break;
      } catch (error) {
        if (attempt >= 6) throw error;
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(1_000);
      }
    }
    await this.page.keyboard.press('Enter');
    await this.page.locator('.editor-group-container.active .tab.active', { hasText: name }).waitFor();
    await this.editor().locator('.view-lines').waitFor();
  }

  /** The editor of the active group, or of the group whose active tab is `file`. */
  editor(file?: string): Locator {
    if (file)
      return this.page
        .locator('.editor-group-container', { has: this.page.locator('.tab.active', { hasText: file }) })
        .locator('.monaco-editor')
        .first();
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The page inside the (one) webview panel: two nested iframes, the inner one found by its id. */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /**
   * Runs a command from the palette by its title, e.g. "Testing: Focus on Test Explorer View". `asks` for a command
   * that opens a quick input of its own (a question, the file dialog): that one is left open, waiting for `asks`.
   */
  async command(title: string, asks?: string): Promise<void> {
    await this.openQuickInput('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');
    if (asks === undefined) await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    else await this.page.locator('.quick-input-widget:not(.quick-input-widget-closing)', { hasText: asks }).waitFor();
  }

  /**
   * Picks `path` in code-server's own file dialog (a quick input holding a path), left open by `command(…, asks)`.
   * The dialog reads a typed path asynchronously and drops an Enter that comes while it is still reading, so the
   * path is accepted once its row is the active one, and accepted again while the dialog stays open.
   */
  async chooseFile(path: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input').first();
    for (let attempt = 1; ; attempt++) {
      if ((await input.inputValue()) !== path) await input.fill(path);
      await widget
        .locator('.monaco-list-row.focused', { hasText: basename(path) })
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(() => undefined);
      await this.page.keyboard.press('Enter');
      try {
        await widget.waitFor({ state: 'hidden', timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt >= 4) {
          const message = await widget
            .locator('.quick-input-message')
            .innerText({ timeout: 1_000 })
            .catch(() => '');
          throw new Error(`the file dialog stayed open, showing "${await input.inputValue()}"${message ? ` and "${message}"` : ''}`, { cause: error });
        }
      }
    }
  }

  /**
   * Quick Open or the command palette by its key. With the focus in a webview (a trace panel just clicked) the key
   * does not always reach the workbench; the title bar's command center opens the same box from anywhere.
   */
  private async openQuickInput(key: 'Control+P' | 'F1'): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    await this.page.keyboard.press(key);
    try {
      await widget.waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch {
      // Falls through to the command center.
    }
    await this.page.locator('.command-center-center').first().click();
    await widget.waitFor({ state: 'visible' });
    if (key === 'F1') await this.page.locator('.quick-input-widget input').fill('>');
  }

  /**
   * Expands a tree row. Rows move while results come in (a row found, then clicked a moment later, may be another
   * one by then): the click is repeated until this row says it is expanded.
   */
  async expand(row: Locator): Promise<void> {
    for (let attempt = 1; (await row.getAttribute('aria-expanded')) !== 'true'; attempt++) {
      if (attempt > 10) throw new Error(`the row ${await row.innerText()} does not expand`);
      await row.locator('.monaco-tl-twistie').click();
      await this.page.waitForTimeout(300);
    }
  }

  codeLens(title: string): Locator {
    return this.editor().locator('.codelens-decoration a', { hasText: title });
  }

  /** Scrolls to the top of the file (where the test's lens is) and clicks `Run test`. */
  async runTestFromCodeLens(): Promise<void> {
    await this.editor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+Home');
    await this.settledCodeLenses();
    await this.codeLens('Run test').first().click();
  }

  /**
   * Waits until the lenses have stopped changing. After an edit or a save the editor asks for them again and
   * replaces their links; a click on a link being replaced does nothing.
   */
  async settledCodeLenses(quietMs = 1000, timeoutMs = 15_000): Promise<void> {
    const lenses = this.editor().locator('.codelens-decoration');
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let since = Date.now();
    while (Date.now() < deadline) {
      const now = (await lenses.evaluateAll((elements) => elements.map((e) => e.innerHTML))).join('\n');
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Puts the cursor at the end of a 1-based line (Go to Line, then End). */
  async goToLineEnd(line: number): Promise<void> {
    await this.editor().locator('.view-lines').click();
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.keyboard.press('End');
  }

  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
  }

  /**
   * The after-texts the editor shows, with the text of their line. Decorations with `after.contentText` are CSS
   * `::after` content on a span of the line, not DOM text, so they are read from the computed style.
   */
  async afterTexts(file?: string): Promise<{ line: string; texts: string[] }[]> {
    return this.editor(file).evaluate((editor) => {
      // Runs in the page; the project's type-check has no DOM library, so the one browser function used is typed here.
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      const page = globalThis as unknown as { getComputedStyle(element: unknown, pseudo: string): { content: string } };
      return [...editor.querySelectorAll('.view-lines .view-line')].map((line) => {
        const texts: string[] = [];
        for (const element of line.querySelectorAll('span')) {
          for (const pseudo of ['::before', '::after']) {
            const content = page.getComputedStyle(element, pseudo).content;
            if (!content || content === 'none' || content === 'normal') continue;
            // `"✓ 201"` → ✓ 201 (CSS strings come back quoted, with \" and \\ escaped).
            const text = (content.startsWith('"') ? content.slice(1, -1).replace(/\\(.)/g, '$1') : content).trim();
            if (text !== '') texts.push(text);
          }
        }
        // Rendered lines use non-breaking spaces for indentation.
        return { line: (line.textContent ?? '').replace(/\u00a0/g, ' '), texts };
      });
    });
  }

  /**
   * Waits until the after-text on the line containing `lineText` matches `pattern`; returns that after-text. The
   * line must be in view: the editor renders only those.
   */
  async waitForAfterText(lineText: string, pattern: RegExp, timeoutMs = 30_000, file?: string): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let seen: string[] = [];
    while (Date.now() < deadline) {
      const lines = await this.afterTexts(file);
      seen = lines.find((l) => l.line.includes(lineText))?.texts ?? [];
      const match = seen.find((text) => pattern.test(text));
      if (match) return match;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(
      `the line with "${lineText}" showed no after-text matching ${pattern} within ${timeoutMs / 1000} s (it shows: ${seen.join(' | ') || 'nothing'})`,
    );
  }

  /**
   * The text of the terminals shown in the panel (a terminal tab, Test Results' output), a line per row as xterm's
   * DOM renderer draws them (the harness turns the terminal's GPU renderer off). Long lines wrap over rows.
   */
  async terminalText(): Promise<string> {
    const rows = this.page.locator('.part.panel .xterm-rows > div');
    const lines = await rows.allTextContents().catch(() => [] as string[]);
    return lines.map((l) => l.replace(/\u00a0/g, ' ').trimEnd()).join('\n');
  }

  /**
   * Waits until the terminal shows text matching `pattern`; returns the match. The terminal draws only the rows in
   * view, so while nothing matches it is scrolled up a page at a time, and back to the end once at the top.
   */
  async waitForTerminal(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      const before = text;
      text = await this.terminalText();
      const match = pattern.exec(text);
      if (match) return match;
      const terminal = this.page.locator('.part.panel .xterm').first();
      if (await terminal.isVisible().catch(() => false)) {
        await terminal.hover().catch(() => undefined);
        await this.page.mouse.wheel(0, text === before ? 100_000 : -300);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the terminal showed nothing matching ${pattern} within ${timeoutMs / 1000} s; it shows:\n${text}`);
  }

  async screenshot(name: string): Promise<string> {
    const path = join(this.screenshotDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
