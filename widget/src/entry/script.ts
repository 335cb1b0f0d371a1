// Vite writes the imported stylesheet next to script.js as style.css.
import "../styles.css";

import type { AmoWidgetHost, WidgetCallbacks } from "./amocrm-host.js";
import { createCallbacks } from "./create-callbacks.js";

type Amo1cWidgetInstance = AmoWidgetHost & { callbacks: WidgetCallbacks };

/**
 * The widget constructor amoCRM's RequireJS loader receives from this
 * module; amoCRM supplies the widget methods (get_settings, system…) on the
 * instance and then calls its callbacks (reference amocrm §5.3).
 */
export default function Amo1cWidget(
  this: Amo1cWidgetInstance,
): Amo1cWidgetInstance {
  this.callbacks = createCallbacks(this);
  return this;
}
