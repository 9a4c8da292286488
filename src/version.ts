import packageJson from '../package.json' with { type: 'json' };

/** The tool's version, recorded in manifests; never written into generated files (they must not change with it). */
export const VERSION: string = packageJson.version;
