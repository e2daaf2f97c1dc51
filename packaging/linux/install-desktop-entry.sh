#!/usr/bin/env bash
# Registers this unpacked AgencyDesk bundle with the desktop for the current user: a menu entry
# (with the absolute path of this folder's executable) and the icons. Run it again after moving
# the folder. Nothing outside ~/.local/share is touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
app_id=com.agencydesk.AgencyDesk
mkdir -p "$data/applications" "$data/metainfo"
cp -r "$here/share/icons" "$data/"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$data/metainfo/"
sed -e "s|^Exec=agencydesk|Exec=\"$here/agencydesk\"|" -e "s|^TryExec=agencydesk|TryExec=$here/agencydesk|" \
    "$here/share/applications/$app_id.desktop" > "$data/applications/$app_id.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" 2>/dev/null || true
echo "AgencyDesk is in your applications menu ($data/applications/$app_id.desktop)"
