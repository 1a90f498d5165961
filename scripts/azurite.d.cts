export declare const ACCOUNT: string;
export declare const ACCOUNT_KEY: string;
export declare const READY: RegExp;
export declare function azuriteArgs(port: number): string[];
export declare function connectionString(port: number): string;
export declare function freePort(): Promise<number>;
export interface RunningAzurite {
  port: number;
  connectionString: string;
  pid: number | undefined;
  stop(): Promise<void>;
}
export declare function startAzurite(options?: { timeoutMs?: number; attempts?: number; args?: string[] }): Promise<RunningAzurite>;
