// The build failed on the syntax error, naming file, line and column, without a stack trace.
String log = new File(basedir, 'build.log').text
String model = new File(basedir, 'src/main/striate/broken.cnn').absolutePath
String expected = model + ":4:5: error: "
List<String> lines = log.readLines()
List<String> hits = lines.findAll { it.startsWith('[ERROR] ' + expected) }
assert !hits.isEmpty() : "no '[ERROR] $expected...' line in:\n$log"
assert hits.every { it.endsWith(' [E001]') } : hits
assert log.contains('Striate found 1 error:') : log
assert lines.every { !(it =~ /^\s+at [\w$.]+\(/) } : "stack trace in build.log:\n$log"
assert !(log =~ /\w+(Exception|Error): /) : "exception in build.log:\n$log"
return true
