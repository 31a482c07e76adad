// eslint flat config for the map's own JavaScript (the vendored files are not ours).
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const js = require('@eslint/js');
const globals = require('globals');

module.exports = [
  {ignores: ['buurtkaart/app/static/vendor/**', 'node_modules/**', '.venv/**', 'build/**']},
  js.configs.recommended,
  {
    files: ['buurtkaart/app/static/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 2017,
      sourceType: 'script',
      globals: {...globals.browser, L: 'readonly', module: 'writable'},
    },
    rules: {
      'no-var': 'off',
      'eqeqeq': 'error',
      'no-implicit-globals': 'error',
      'no-unused-vars': ['error', {args: 'none'}],
    },
  },
  {
    // the live watcher is a Streamlit v2 component: an ES module with one default export
    files: ['buurtkaart/app/static/js/buurtkaart-watch.js'],
    languageOptions: {ecmaVersion: 2020, sourceType: 'module', globals: {...globals.browser}},
  },
  {
    files: ['tests/js/**/*.js', 'eslint.config.js'],
    languageOptions: {ecmaVersion: 2022, sourceType: 'commonjs', globals: {...globals.node}},
  },
];
