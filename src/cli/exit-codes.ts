// Exit codes shared by every sub-command (only main.ts calls process.exit).
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A command handler reports its exit code through this; runCli returns it. */
export type SetExit = (code: number) => void;
