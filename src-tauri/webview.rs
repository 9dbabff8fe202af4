//! WebKitGTK settings for Inlet's window, which shows one local page: a small form, its own
//! scripts, no video, sound, 3D or navigation. Measured with `./dev bench --desktop` (README,
//! "The desktop app"): under Xvfb, GPU compositing made the web process load the software GL stack
//! (Mesa, LLVM) and hold its buffers.

/// Chooses WebKitGTK's renderer; called first thing in `run`, before GTK and WebKit start (they
/// read it from the environment, and no other thread exists yet to read the environment with us).
///
/// Since 2.42 WebKitGTK composites through DMA-BUF buffers by default, and with that renderer it
/// ignores the hardware-acceleration policy `tune` sets: the web process ran its threaded
/// compositor on GL (Mesa's llvmpipe under Xvfb). Without it, the policy holds and the page is
/// painted by the CPU. Measured with `./dev bench --desktop` (README, "The desktop app").
/// Not under WebDriver (`TAURI_WEBVIEW_AUTOMATION`, set by tauri-driver): WebKitWebDriver's
/// screenshots hang without the default renderer (tests/e2e/run.sh). A value the user set wins.
pub fn choose_renderer() {
    #[cfg(target_os = "linux")]
    {
        const RENDERER: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
        let automation = std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true");
        if !automation && std::env::var_os(RENDERER).is_none() {
            std::env::set_var(RENDERER, "1");
        }
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
