// Updates one benchmark's section of the benchmarks page.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the section that starts at `heading` (up to the next `## `
 * heading) with `section`, or appends it, keeping the other sections.
 */
export function writeSection(page: string, heading: string, section: string): void {
  const text = existsSync(page) ? readFileSync(page, 'utf8') : '# Benchmarks\n\n';
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) {
    writeFileSync(page, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length);
  const rest = next < 0 ? '' : text.slice(next + 1);
  writeFileSync(page, `${text.slice(0, start)}${section}${rest ? `\n${rest}` : ''}`);
}
