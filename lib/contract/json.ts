/** A JSON value, as state machines pass them between states. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
