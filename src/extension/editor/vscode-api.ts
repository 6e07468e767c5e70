// The vscode module is passed in (never imported as a value) so this code runs under a small fake in Node tests:
// `VscodeApi` is its one name.
import type * as vscode from 'vscode';

export type VscodeApi = typeof vscode;
