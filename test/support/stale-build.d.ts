export interface BuildOutput {
  output: string;
  sources: string[];
}
export declare const OUTPUTS: BuildOutput[];
export declare function staleOutputs(root?: string, outputs?: BuildOutput[]): string[];
export declare function staleBuildMessage(stale: string[]): string;
declare function refuseStaleBuild(): Promise<void>;
export default refuseStaleBuild;
