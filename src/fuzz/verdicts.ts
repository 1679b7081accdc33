// The verdict vocabulary: the exact strings of `behavior` and `behaviorClose` that reports,
// index.json and users' scripts carry, and the rule which of them pass (docs/verdicts.md).

/** Main verdicts (`behavior`), in the order the console summary lists them. */
export const MAIN_VERDICTS = ['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED', 'NO_CLOSE', 'FAILED'] as const;
export type MainVerdict = (typeof MAIN_VERDICTS)[number];

/** Close verdicts (`behaviorClose`). */
export const CLOSE_VERDICTS = ['OK', 'FAILED', 'WRONG CODE', 'UNCLEAN', 'FAILED BY CLIENT', 'INFORMATIONAL'] as const;
export type CloseVerdict = (typeof CLOSE_VERDICTS)[number];

/** Labels of a case's expected event lists, in the order they are tried (docs/verdicts.md, Main verdict). */
export type ExpectedLabel = Extract<MainVerdict, 'OK' | 'NON-STRICT'>;

/** Main verdict constants. NO_CLOSE exists in the original's vocabulary but nothing produces it. */
export const Behavior = {
  OK: 'OK',
  NON_STRICT: 'NON-STRICT',
  FAILED: 'FAILED',
  INFORMATIONAL: 'INFORMATIONAL',
  UNIMPLEMENTED: 'UNIMPLEMENTED',
  NO_CLOSE: 'NO_CLOSE',
} as const satisfies Record<string, MainVerdict>;

/** Close verdict constants. */
export const BehaviorClose = {
  OK: 'OK',
  FAILED: 'FAILED',
  WRONG_CODE: 'WRONG CODE',
  UNCLEAN: 'UNCLEAN',
  FAILED_BY_CLIENT: 'FAILED BY CLIENT',
  INFORMATIONAL: 'INFORMATIONAL',
} as const satisfies Record<string, CloseVerdict>;

export function isMainVerdict(text: string): text is MainVerdict {
  return (MAIN_VERDICTS as readonly string[]).includes(text);
}

/** A main verdict held as a plain string (the session record); anything else is a wsfuzz bug. */
export function toMainVerdict(text: string): MainVerdict {
  if (!isMainVerdict(text)) throw new Error(`not a main verdict: '${text}'`);
  return text;
}

/** Main verdicts that do not count as failures: conformant, or not applicable. */
const PASSING_MAIN: ReadonlySet<MainVerdict> = new Set<MainVerdict>(['OK', 'NON-STRICT', 'INFORMATIONAL', 'UNIMPLEMENTED']);
/** Close verdicts that do not count as failures (FAILED BY CLIENT is "almost", as the original colours it). */
const PASSING_CLOSE: ReadonlySet<CloseVerdict> = new Set<CloseVerdict>(['OK', 'INFORMATIONAL', 'FAILED BY CLIENT']);

/** The pass rule the exit status is based on (docs/verdicts.md, Pass and fail). */
export function isFailure(v: { behavior: MainVerdict; behaviorClose: CloseVerdict }): boolean {
  return !PASSING_MAIN.has(v.behavior) || !PASSING_CLOSE.has(v.behaviorClose);
}
