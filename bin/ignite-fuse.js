#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in build/ (npm run build).
import '../build/src/main.js';
