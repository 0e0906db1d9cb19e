; HomeDesk's Windows installer (NSIS 3, built by scripts/windows.sh with makensis).
; makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DEXE=path\homedesk.exe -DOUTFILE=HomeDesk-0.1.0-setup.exe
;
; Per machine (Program Files, for every Windows user of the PC; the default when run
; as an administrator) or per user (%LOCALAPPDATA%\Programs, no administrator needed):
; the first page asks, `/AllUsers` or `/CurrentUser` choose on the command line, `/S` is silent.
; Start-menu entry, desktop icon, an entry in 程序和功能 with an uninstaller.
; The office's data (%APPDATA%\HomeDesk: the database and its backups) is never touched:
; uninstalling removes the program only, and says so.

; A 64-bit installer (HomeDesk itself is 64-bit only): on 32-bit Windows it does not start.
Target amd64-unicode
!ifndef VERSION
  !error "makensis -DVERSION=x.y.z (Cargo.toml's version)"
!endif
!ifndef EXE
  !error "makensis -DEXE=path/to/homedesk.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "HomeDesk-${VERSION}-setup.exe"
!endif
!define ICON "..\..\assets\icon\homedesk.ico"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\HomeDesk"
!define SETTINGS_KEY "Software\HomeDesk"

Name "HomeDesk 居家服务台 ${VERSION}"
OutFile "${OUTFILE}"
SetCompressor /SOLID lzma
BrandingText "HomeDesk ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "HomeDesk 居家服务台"
VIAddVersionKey /LANG=2052 "FileDescription" "HomeDesk ${VERSION} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "HomeDesk"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${SETTINGS_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallDir"
!include MultiUser.nsh
!include MUI2.nsh

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\homedesk.exe"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将卸载 HomeDesk 程序。管理处的数据（%APPDATA%\HomeDesk 中的数据库和备份）不会被删除，重新安装后照常打开。"
!define MUI_UNFINISHPAGE_NOAUTOCLOSE

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  SetRegView 64
  !insertmacro MULTIUSER_INIT
FunctionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Section "HomeDesk" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=homedesk.exe" "${EXE}"
  File "/oname=homedesk.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\HomeDesk"
  CreateShortcut "$SMPROGRAMS\HomeDesk\HomeDesk 居家服务台.lnk" "$INSTDIR\homedesk.exe" "" "$INSTDIR\homedesk.exe" 0
  CreateShortcut "$SMPROGRAMS\HomeDesk\卸载 HomeDesk.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\HomeDesk 居家服务台.lnk" "$INSTDIR\homedesk.exe" "" "$INSTDIR\homedesk.exe" 0

  ; SHCTX is HKLM per machine, HKCU per user (MultiUser's SetShellVarContext).
  WriteRegStr SHCTX "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "HomeDesk 居家服务台"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "Publisher" "HomeDesk"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\homedesk.exe,0"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

; Removes exactly what the installer put down. Never %APPDATA%\HomeDesk: the office's
; database, its backups and the window settings stay for the next install.
Section "Uninstall"
  Delete "$INSTDIR\homedesk.exe"
  Delete "$INSTDIR\homedesk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\HomeDesk\HomeDesk 居家服务台.lnk"
  Delete "$SMPROGRAMS\HomeDesk\卸载 HomeDesk.lnk"
  RMDir "$SMPROGRAMS\HomeDesk"
  Delete "$DESKTOP\HomeDesk 居家服务台.lnk"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  DeleteRegKey SHCTX "${SETTINGS_KEY}"
  DetailPrint "管理处的数据和备份保留在各 Windows 用户的 %APPDATA%\HomeDesk，未删除。"
SectionEnd

Function un.onUninstSuccess
  MessageBox MB_OK|MB_ICONINFORMATION "HomeDesk 已卸载。$\r$\n管理处的数据和备份仍在 %APPDATA%\HomeDesk，未删除；重新安装后照常打开。" /SD IDOK
FunctionEnd
