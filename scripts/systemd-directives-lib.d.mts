// Types of systemd-directives-lib.mjs (a build script, imported by its test).
export declare function findCoreLibrary(): string | undefined;
export declare function directivesInLibrary(path: string): Record<'Unit' | 'Service' | 'Timer', string[]>;
