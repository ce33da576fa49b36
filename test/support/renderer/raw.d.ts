/** Vite's `?raw` imports: a file's text (the README, to hold its tables to the code). */
declare module '*?raw' {
  const text: string;
  export default text;
}
