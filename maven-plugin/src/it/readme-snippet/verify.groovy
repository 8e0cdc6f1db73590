// The pasted snippet generated the model class, the project's own code compiled against it,
// and the packaged jar runs with nothing else on the class path.
File jar = new File(basedir, 'target/app-1.0-SNAPSHOT.jar')
assert jar.isFile()
String java = new File(System.getProperty('java.home'), 'bin/java').path
Process run = [java, '-cp', jar.path, 'com.example.app.App', '0.25', '1.0'].execute()
String out = run.text.trim()
assert run.waitFor() == 0 : out
// softmax(0.25, 1.0) = (e^0.25, e^1) / (e^0.25 + e^1) = (0.32082, 0.67918)
def m = out =~ /^class 1 p=([0-9.Ee-]+),([0-9.Ee-]+)$/
assert m.matches() : out
assert Math.abs(Double.parseDouble(m.group(1)) - 0.320821) < 1e-5 : out
assert Math.abs(Double.parseDouble(m.group(2)) - 0.679179) < 1e-5 : out
// The second invocation ran the help goal, resolved by the plugin's prefix.
String log = new File(basedir, 'build.log').text
assert log.contains('striate:generate') : log
assert log.contains('packageName') && log.contains('singleFile') && log.contains('sourceDirectory') : log
return true
