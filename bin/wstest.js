#!/usr/bin/env node
// Autobahn's command line: wstest -m fuzzingclient -s fuzzingclient.json (and -m fuzzingserver, -m echoserver, ...).
import { runWstest } from '../dist/src/cli/main.js';

runWstest();
