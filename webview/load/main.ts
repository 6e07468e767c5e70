// Entry of the load panel's bundle (dist/webview/load.js).
import { LoadApp } from './app';

new LoadApp(acquireVsCodeApi(), document.getElementById('app') ?? document.body);
