"""Config file + command-line flags -> a ready App: logging, the resumed checkpoint or
saved weights (else a clean start, logged), the kiosk controller attached."""
from __future__ import annotations

import logging
import sys
from dataclasses import replace as dc_replace

log = logging.getLogger("neuronlab")


def palette_from_config(cfg):
    return cfg.colours.palette()


def _resume(cfg):
    """(model, meta, source) from the checkpoint or the configured weights, or Nones."""
    from neuronlab import checkpoint
    from neuronlab.nn.store import WeightsError, load_weights

    model = resumed = None
    source = cfg.state.checkpoint_path
    if cfg.state.resume == "resume":
        try:
            model, resumed = checkpoint.load_checkpoint(cfg.state.checkpoint_path)
        except WeightsError as err:
            log.warning("%s; clean start", err)
    if model is None and cfg.state.weights:
        try:
            model, resumed = load_weights(cfg.state.weights_path)  # its stats come along
            source = cfg.state.weights_path
        except WeightsError as err:
            print(f"{err}; starting from fresh weights", file=sys.stderr)
            log.warning("%s; starting from fresh weights", err)
    return model, resumed, source


def build_app(args, present: bool = True, run_gradcheck: bool = True, tweak=None, attract_seed=None,
              checkpoints: bool = True, feeder: bool = True):
    """Problems in the config are printed, one line each. ``tweak(cfg) -> cfg`` adjusts the
    loaded config (the soak uses it); ``checkpoints=False`` leaves the gallery's checkpoint
    alone (for pictures); ``feeder=False`` serves the training stream from this process
    whatever the config says (a single picture has no use for a second one)."""
    from neuronlab import checkpoint
    from neuronlab.app import App
    from neuronlab.config import apply_overrides, load_config
    from neuronlab.kiosk import KioskController
    from neuronlab.logs import setup_logging
    from neuronlab.nn.train import TrainSettings
    from neuronlab.render import context

    cfg, problems = load_config(getattr(args, "config", None))
    cfg, more = apply_overrides(cfg, args)
    if tweak is not None:
        cfg = tweak(cfg)
    setup_logging(cfg.log.file_path, cfg.log.max_bytes, cfg.log.backups, cfg.log.level)
    for line in problems + more:
        print(line, file=sys.stderr)
        log.warning(line)
    tc = cfg.training
    settings = dc_replace(TrainSettings(), batch=tc.batch, lr=tc.lr, momentum=tc.momentum, seed=tc.seed,
                          epoch_size=tc.epoch_size)
    model, resumed, source = _resume(cfg)
    size = tuple(getattr(args, "size", None) or cfg.window.size)
    if present and not cfg.window.fullscreen and context.display_mode(cfg.window.fullscreen_size):
        log.warning("[window] fullscreen_size applies only fullscreen (fullscreen = true or --kiosk): "
                    "a window of %dx%d opens", *size)
    app = App(size, fullscreen=cfg.window.fullscreen and present, fullscreen_size=cfg.window.fullscreen_size,
              present=present, seed=tc.seed,
              iters_per_frame=tc.iters_per_frame, speeds=tc.speeds, lang=cfg.ui.language,
              palette=palette_from_config(cfg), train_settings=settings, model=model,
              px_per_mm=cfg.kiosk.px_per_mm, ui_scale=cfg.ui.scale,
              min_touch_mm=cfg.kiosk.min_touch_mm, languages=cfg.ui.languages, vsync=cfg.window.vsync, run_gradcheck=run_gradcheck,
              feeder=feeder and tc.feeder, pool_cache=cfg.state.pool_cache_path,
              touch=dict(tap_ms=cfg.kiosk.tap_ms, tap_px=cfg.kiosk.tap_px,
                         double_tap_ms=cfg.kiosk.double_tap_ms))
    app.finger_expire_s = cfg.kiosk.finger_expire_s
    app.exhibit.configure_teaching(cfg.teach)
    if resumed is not None:
        checkpoint.apply_meta(app.session.trainer, resumed)
        app.exhibit.history.load(resumed.get("history"))   # the plot of the run so far
        app.session.refresh()
        log.info("resumed from %s: %d samples seen", source, app.session.trainer.stats.samples_seen)
    else:
        log.info("clean start (resume = %s)", cfg.state.resume)
    app.kiosk = KioskController(
        app, cfg.kiosk, seed=attract_seed, language=cfg.ui.language, default_speed=tc.iters_per_frame,
        checkpointer=checkpoint.Checkpointer(cfg.state.checkpoint_path, cfg.state.checkpoint_every_s,
                                             extra=lambda: {"history": app.exhibit.history.save()})
        if checkpoints else None)
    return app
