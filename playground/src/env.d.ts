// Vite's client types: `?raw` imports (the shipped data as strings) and `new URL(…, import.meta.url)` workers.
/// <reference types="vite/client" />
