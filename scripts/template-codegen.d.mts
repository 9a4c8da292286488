// Types of template-codegen.mjs (a build script, imported by its test).
export interface TemplateSource {
  readonly name: string;
  readonly partial: boolean;
  readonly source: string;
}
export declare function compileTemplatesModule(templates: readonly TemplateSource[], options: { readonly knownHelpers?: Readonly<Record<string, boolean>> }): string;
