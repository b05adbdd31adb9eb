/*
 * Runs static/js/site.js's computeSteps on many answer sets, for the parity test.
 * stdin: {"rules": {set id: rules_as_json(set id)}, "cases": [[set id, answers], ...]}
 * stdout: [[step id, ...], ...], one list per case, in the same order.
 */
"use strict";
var path = require("path");
var computeSteps = require(path.join(__dirname, "..", "..", "static", "js", "site.js")).computeSteps;

var chunks = [];
process.stdin.on("data", function (chunk) {
  chunks.push(chunk);
});
process.stdin.on("end", function () {
  var input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  var results = input.cases.map(function (item) {
    return computeSteps(input.rules[item[0]], item[1]);
  });
  process.stdout.write(JSON.stringify(results));
});
