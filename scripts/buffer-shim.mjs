// Injected into the browser bundle (scripts/build-browser.mjs): the formats code (src/formats/) reads
// models through Node.js's Buffer API, which the npm package `buffer` provides in a browser.
export { Buffer } from 'buffer';
