// The build failed on the syntax error with the exact file:line:col line and no stack trace.
String log = new File(basedir, 'build.log').text
String model = new File(basedir, 'src/main/striate/broken.cnn').absolutePath
String expected = "[ERROR] $model:3:23: error: expected ',' or ')' [E001]"
List<String> lines = log.readLines()
assert lines.count(expected) == 1 : "not exactly one line '$expected' in:\n$log"
assert lines.count { it.contains("expected ',' or ')'") } == 1 : "the error is repeated:\n$log"
assert log.contains("Striate found 1 error, in $model:3:23 (logged above)") : log
assert lines.every { !(it =~ /^\s+at [\w$.]+\(/) } : "stack trace in build.log:\n$log"
assert !(log =~ /\w+(Exception|Error): /) : "exception in build.log:\n$log"
return true
