@echo off
rem The striate command line from the distribution (striate-VERSION\bin\striate.bat). Needs a
rem JDK 17 or newer: JAVA_HOME\bin\java.exe when JAVA_HOME is set, else java on PATH. For
rem train the CLI itself restarts with jdk.incubator.vector (VectorRelaunch; see docs/vector.md).
setlocal
set "STRIATE_HOME=%~dp0.."
if defined JAVA_HOME (set "JAVA_CMD=%JAVA_HOME%\bin\java.exe") else (set "JAVA_CMD=java")
"%JAVA_CMD%" %STRIATE_JAVA_OPTS% "-Dstriate.home=%STRIATE_HOME%" -cp "%STRIATE_HOME%\lib\*" dev.striate.cli.Main %*
exit /b %ERRORLEVEL%
