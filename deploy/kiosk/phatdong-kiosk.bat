@echo off
rem phatdong-kiosk.bat: turn a Windows PC into a phatdong stage display.
rem Put a shortcut to this file in shell:startup (Win+R, shell:startup).
rem Edit the lines below for this screen. PHATDONG_STANDBY_URL is the
rem standby server of a pair, or empty: the page opens on whichever answers,
rem the primary first, and then follows the primary by itself.
rem PHATDONG_URL=auto finds the primary on the LAN with
rem phatdong-button.exe discover --primary (put phatdong-button.exe next to
rem this file; docs/discovery.md), else tries http://phatdong.local:8080.
set "PHATDONG_URL=http://10.0.0.2:8080"
set "PHATDONG_STANDBY_URL="
set "PHATDONG_PAGE=/stage"
set "PHATDONG_NAME=May-chieu-Windows"
rem PHATDONG_AUDIO=1 on the one PC whose speakers play the films' sound
rem (its Windows output device and volume set); 0 keeps this screen muted.
set "PHATDONG_AUDIO=0"

chcp 65001 >nul
set "BROWSER=%ProgramFiles%\Google\Chrome\Application\chrome.exe"
if not exist "%BROWSER%" set "BROWSER=%ProgramFiles(x86)%\Google\Chrome\Application\chrome.exe"
if not exist "%BROWSER%" set "BROWSER=%ProgramFiles(x86)%\Microsoft\Edge\Application\msedge.exe"
if not exist "%BROWSER%" set "BROWSER=%ProgramFiles%\Microsoft\Edge\Application\msedge.exe"
set "PROFILE=%LOCALAPPDATA%\phatdong-kiosk"
set "DISCOVER=%~dp0phatdong-button.exe"
if not exist "%DISCOVER%" set "DISCOVER=phatdong-button.exe"

:wait
set "SERVER_URL=%PHATDONG_URL%"
if /i "%PHATDONG_URL%"=="auto" (
  set "SERVER_URL=http://phatdong.local:8080"
  for /f "delims=" %%u in ('"%DISCOVER%" discover --primary --timeout 3s 2^>nul') do set "SERVER_URL=%%u"
)
rem Wait until the server (or else the standby) answers, so the browser
rem never shows an error page.
set "OPEN_URL=%SERVER_URL%"
powershell -NoProfile -Command "try { $r = Invoke-WebRequest -UseBasicParsing -TimeoutSec 2 '%SERVER_URL%/healthz'; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exit 1 }"
if not errorlevel 1 goto open
if "%PHATDONG_STANDBY_URL%"=="" goto again
set "OPEN_URL=%PHATDONG_STANDBY_URL%"
powershell -NoProfile -Command "try { $r = Invoke-WebRequest -UseBasicParsing -TimeoutSec 2 '%PHATDONG_STANDBY_URL%/healthz'; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } catch { exit 1 }"
if not errorlevel 1 goto open
:again
echo Dang cho may chu %SERVER_URL% %PHATDONG_STANDBY_URL% ...
timeout /t 2 /nobreak >nul
goto wait

:open
set "AUDIO="
if "%PHATDONG_AUDIO%"=="1" set "AUDIO=&audio=1"
"%BROWSER%" --kiosk "%OPEN_URL%%PHATDONG_PAGE%?name=%PHATDONG_NAME%%AUDIO%" --user-data-dir="%PROFILE%" ^
  --autoplay-policy=no-user-gesture-required --noerrdialogs --disable-infobars --no-first-run ^
  --disable-session-crashed-bubble --disable-features=Translate,TranslateUI --disable-pinch ^
  --overscroll-history-navigation=0 --disable-background-timer-throttling ^
  --disable-renderer-backgrounding --disable-backgrounding-occluded-windows
rem The browser exited (closed, crashed, updated): start it again.
timeout /t 2 /nobreak >nul
goto wait
