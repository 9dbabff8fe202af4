//! WebKitGTK settings for Inlet's window, which shows one local page: a small form, its own
//! scripts, no video, sound, 3D or navigation. Measured with `./dev bench --desktop` (README,
//! "The desktop app"): under Xvfb, GPU compositing made the web process load the software GL stack
//! (Mesa, LLVM) and hold its buffers.

use std::ffi::OsString;
use std::sync::Mutex;

/// What `set_start_up_environment` put into the environment for GTK and WebKit to read only at
/// start-up, so `forget_start_up_settings` can take it out again before Inlet starts other
/// programs. `WEBKIT_DISABLE_DMABUF_RENDERER` is not among them: WebKit may read it again when it
/// draws.
static SET_FOR_START_UP: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

/// The environment Inlet's window starts with, beyond the user's own: each variable is set only
/// when the user has not set it, and none under WebDriver (`TAURI_WEBVIEW_AUTOMATION`, set by
/// tauri-driver): WebKitWebDriver's screenshots hang without WebKit's default renderer
/// (tests/e2e/run.sh). `render_nodes` are the machine's DRM render nodes (/dev/dri/renderD*).
///
/// - `WEBKIT_DISABLE_DMABUF_RENDERER=1`: since 2.42 WebKitGTK composites through DMA-BUF buffers by
///   default, and with that renderer it ignores the hardware-acceleration policy `tune` sets: the
///   web process ran its threaded compositor on GL (Mesa's llvmpipe under Xvfb). Without it, the
///   policy holds and the page is painted by the CPU.
/// - `GDK_GL=disable`: GTK otherwise opens GLX when it opens the display, only to choose a visual
///   for GL drawing that the window never does; that loads the GL driver (with Mesa, LLVM too)
///   into the app's process. Only with the DMA-BUF renderer off: that renderer shows the page's
///   buffers through a GTK GL context.
/// - `WEBKIT_WEB_RENDER_DEVICE_FILE`: without it, the UI process opens an EGL display (the GL
///   driver again) to ask which GPU node the web process should render on
///   (WebKit's UIProcess/glib/DRMDevice.cpp, `drmRenderNodeDevice`). Only the DMA-BUF renderer
///   uses the answer (WebProcessGLib.cpp, `initializePlatformDisplayIfNeeded`), so it is named
///   only when that renderer is off: the first render node, as WebKit's own fallback picks
///   (`drmFirstRenderNode`), or "none" on a machine that has none.
/// - `JSC_useJIT=0`: the page's scripts are small and run once; JavaScriptCore's interpreter runs
///   them, and the web process holds no JIT code or writable-executable memory.
pub fn start_up_environment(
    current: impl Fn(&str) -> Option<OsString>,
    render_nodes: &[std::path::PathBuf],
) -> Vec<(&'static str, OsString)> {
    if current("TAURI_WEBVIEW_AUTOMATION").as_deref() == Some("true".as_ref()) {
        return Vec::new();
    }
    let mut set = Vec::new();
    let mut unless_set = |name: &'static str, value: OsString| {
        if current(name).is_none() {
            set.push((name, value));
        }
    };
    unless_set("WEBKIT_DISABLE_DMABUF_RENDERER", "1".into());
    unless_set("JSC_useJIT", "0".into());
    let dmabuf_off = match current("WEBKIT_DISABLE_DMABUF_RENDERER") {
        // WebKit's test: set and not "0".
        Some(value) => value != "0",
        None => true,
    };
    // With the DMA-BUF renderer, WebKit shows the page's buffers through a GTK GL context.
    if dmabuf_off {
        unless_set("GDK_GL", "disable".into());
        let first = render_nodes.iter().min().map(|p| p.as_os_str().to_owned());
        unless_set("WEBKIT_WEB_RENDER_DEVICE_FILE", first.unwrap_or_else(|| "none".into()));
    }
    set
}

/// Sets `start_up_environment`; called first thing in `run`, before GTK and WebKit start (they
/// read it from the environment, and no other thread exists yet to read the environment with us).
/// Measured with `./dev bench --desktop` (README, "The desktop app"): without the GL driver in the
/// app's process, the tree's idle memory fell by about 25 MB and the window is created ~40 ms
/// sooner; without the JIT, the web process holds about 7 MB less.
pub fn set_start_up_environment() {
    #[cfg(target_os = "linux")]
    {
        let render_nodes: Vec<std::path::PathBuf> = std::fs::read_dir("/dev/dri")
            .map(|dir| {
                dir.flatten()
                    .map(|entry| entry.path())
                    .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("renderD")))
                    .collect()
            })
            .unwrap_or_default();
        let set = start_up_environment(|name| std::env::var_os(name), &render_nodes);
        let mut remembered = SET_FOR_START_UP.lock().unwrap_or_else(|e| e.into_inner());
        for (name, value) in set {
            std::env::set_var(name, value);
            if name != "WEBKIT_DISABLE_DMABUF_RENDERER" {
                remembered.push(name);
            }
        }
    }
}

/// Takes `set_start_up_environment`'s variables out of the environment once the window exists
/// (GTK read them when it opened the display, WebKit when it started the page's processes), so a
/// program Inlet starts later, such as the browser for a sign-in, does not inherit them: a WebKit
/// browser would run without its JIT. Called on the main thread in the setup hook; glibc's
/// unsetenv moves entries in place and frees nothing, so a C library reading the environment on
/// another thread meanwhile sees a valid (if shifting) list.
pub fn forget_start_up_settings() {
    let mut remembered = SET_FOR_START_UP.lock().unwrap_or_else(|e| e.into_inner());
    for name in remembered.drain(..) {
        std::env::remove_var(name);
    }
}

/// Applied in the setup hook, before the event loop first runs, so before the web process paints.
pub fn tune(window: &tauri::WebviewWindow) {
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if let Some(context) = view.context() {
            // One document, no browsing: the smallest memory and disk caches.
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        let Some(settings) = WebViewExt::settings(&view) else { return };
        // Turned on by wry for every app; nothing in Inlet uses them.
        settings.set_enable_webgl(false);
        settings.set_enable_webaudio(false);
        settings.set_enable_page_cache(false);
        // The page is painted by the CPU into shared memory, as WebKitGTK did by default before
        // 2.38 for pages like this one: no GL context in the web process. Left as it is under
        // WebDriver (the e2e run), whose screenshots hang without compositing (tests/e2e/run.sh).
        if !view.is_controlled_by_automation() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::path::PathBuf;

    fn plan(env: &[(&str, &str)], nodes: &[&str]) -> HashMap<&'static str, String> {
        let env: HashMap<String, OsString> = env.iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect();
        let nodes: Vec<PathBuf> = nodes.iter().map(PathBuf::from).collect();
        start_up_environment(|name| env.get(name).cloned(), &nodes)
            .into_iter()
            .map(|(k, v)| (k, v.to_string_lossy().into_owned()))
            .collect()
    }

    #[test]
    fn a_plain_start_turns_off_what_the_window_does_not_use() {
        let set = plan(&[], &[]);
        assert_eq!(set["WEBKIT_DISABLE_DMABUF_RENDERER"], "1");
        assert_eq!(set["GDK_GL"], "disable");
        assert_eq!(set["JSC_useJIT"], "0");
        assert_eq!(set["WEBKIT_WEB_RENDER_DEVICE_FILE"], "none");
    }

    #[test]
    fn the_render_node_named_is_the_first_the_machine_has() {
        let set = plan(&[], &["/dev/dri/renderD129", "/dev/dri/renderD128"]);
        assert_eq!(set["WEBKIT_WEB_RENDER_DEVICE_FILE"], "/dev/dri/renderD128");
    }

    #[test]
    fn what_the_user_set_wins() {
        let set = plan(&[("GDK_GL", "always"), ("JSC_useJIT", "1"), ("WEBKIT_WEB_RENDER_DEVICE_FILE", "/x")], &[]);
        assert!(!set.contains_key("GDK_GL"));
        assert!(!set.contains_key("JSC_useJIT"));
        assert!(!set.contains_key("WEBKIT_WEB_RENDER_DEVICE_FILE"));
        assert_eq!(set["WEBKIT_DISABLE_DMABUF_RENDERER"], "1");
    }

    #[test]
    fn with_the_dma_buf_renderer_on_webkit_keeps_asking_for_its_render_node() {
        let set = plan(&[("WEBKIT_DISABLE_DMABUF_RENDERER", "0")], &["/dev/dri/renderD128"]);
        assert!(!set.contains_key("WEBKIT_DISABLE_DMABUF_RENDERER"));
        assert!(!set.contains_key("WEBKIT_WEB_RENDER_DEVICE_FILE"));
        assert!(!set.contains_key("GDK_GL"));
        assert_eq!(set["JSC_useJIT"], "0");
    }

    #[test]
    fn nothing_is_set_under_webdriver() {
        assert!(plan(&[("TAURI_WEBVIEW_AUTOMATION", "true")], &[]).is_empty());
    }

    #[test]
    fn programs_started_later_do_not_inherit_the_start_up_settings() {
        const NAME: &str = "INLET_TEST_START_UP_SETTING";
        std::env::set_var(NAME, "1");
        SET_FOR_START_UP.lock().unwrap().push(NAME);
        forget_start_up_settings();
        assert!(std::env::var_os(NAME).is_none());
        let child = std::process::Command::new("env").output().unwrap();
        assert!(!String::from_utf8_lossy(&child.stdout).contains(NAME));
        assert!(!SET_FOR_START_UP.lock().unwrap().contains(&NAME));
    }
}
