// The README's generated sections live between <!-- NAME:start --> and <!-- NAME:end -->: the tables from the
// code (scripts/readme-tables.mjs), the latest benchmark (bench/run.mjs); test/readme.test.ts reads them back.

const pattern = (name) => new RegExp(`(<!-- ${name}:start -->\\n)([\\s\\S]*?)(<!-- ${name}:end -->)`);

/** The body of a section (with its final newline), or undefined when the README has none. */
export function readmeSection(text, name) {
  return pattern(name).exec(text)?.[2];
}

/** The README with one section's body replaced; throws when the section is missing. */
export function withReadmeSection(text, name, body) {
  if (!pattern(name).test(text)) throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> section`);
  return text.replace(pattern(name), (_m, start, _old, end) => `${start}${body}\n${end}`);
}
