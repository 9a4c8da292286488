/**
 * Text from a job (its log lines) shown on a person's terminal: control characters, which a job could use to move
 * the cursor, rewrite what was printed before, set the window title or worse, are shown escaped instead
 * (`\x1b`, `\x07`, `\u009b`); newlines and tabs stay. Pure.
 */

// C0 controls but tab and newline, DEL, and C1 controls (U+0080-U+009F: CSI is U+009B on some terminals)
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
