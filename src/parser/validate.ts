import type { Module, Expression, Interactive } from '../ast.js';
export function validate(_tree: Module | Expression | Interactive, _filename: string, _source: string): void {}
