/** Milliseconds in a day: durations in Warrant are whole days (cadences, notice periods, ages). */
export const DAY_MS = 24 * 60 * 60 * 1000;
