export declare const projectRoot: string;
export declare const toolsDir: string;
export declare const TEMPORAL_CLI_MODULE: string;
export declare const TEST_SERVER_VERSION: string;
export declare function ensureTemporalCli(): string;
export declare function ensureTestServer(): string;
export declare function ensureNodeModules(): void;
