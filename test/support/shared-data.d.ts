/** The folder beside the checkout that holds the optional test data (hujson-vectors/, policy-corpus/). */
export declare const SHARED_DIR: string;
export declare const REQUIRE_VARIABLE: string;
export declare function suitesLackingSharedData(): { file: string; missing: string[] }[];
export declare function missingSubject(lacking: { missing: string[] }[]): string;
