/**
 * The one multi-step quick input of the extension (the curation commands, Create Training Config):
 * a flow is a chain of steps, each showing one QuickPick or InputBox with a title, "n/m" and, after
 * the first, a Back button. Each step returns the next (or nothing to finish); Back goes to the step
 * shown before, Escape ends the flow. A step that returns one shown earlier goes back to it (a loop,
 * like Filter's "add another criterion"), forgetting the steps after it. The flow keeps its answers
 * in its own variables, so a step shown again starts from the earlier choice.
 * After vscode-extension-samples/quickinput-sample (MultiStepInput, InputFlowAction.back).
 */
import * as vscode from 'vscode';

const BACK = Symbol('back');
type StepResult<T> = T | typeof BACK | undefined;

/** Thrown through a step when the user goes back or escapes; the flow catches it. */
class FlowAction {
  private constructor(readonly name: string) {}
  static readonly back = new FlowAction('back');
  static readonly cancel = new FlowAction('cancel');
}

export type InputStep = (input: MultiStepInput) => Promise<InputStep | void>;

interface StepFrame {
  title: string;
  /** The number shown as "step/totalSteps"; default: how many steps lead here (this one included). */
  step?: number;
  totalSteps: number;
}

export class MultiStepInput {
  private readonly history: InputStep[] = [];

  /** Runs the flow from `start`: true when it finished, false when the user escaped. */
  static run(start: InputStep): Promise<boolean> {
    return new MultiStepInput().stepThrough(start);
  }

  private async stepThrough(start: InputStep): Promise<boolean> {
    let step: InputStep | void = start;
    while (step) {
      const earlier = this.history.indexOf(step);
      if (earlier >= 0) this.history.length = earlier;
      this.history.push(step);
      try {
        step = await step(this);
      } catch (e) {
        if (e === FlowAction.cancel) return false;
        if (e !== FlowAction.back) throw e;
        const current = this.history.pop();
        step = this.history.pop() ?? current;
      }
    }
    return true;
  }

  private frame(f: StepFrame): { title: string; step: number; totalSteps: number; back: boolean } {
    return { title: f.title, step: f.step ?? this.history.length, totalSteps: f.totalSteps, back: this.history.length > 1 };
  }

  private static taken<T>(r: StepResult<T>): T {
    if (r === BACK) throw FlowAction.back;
    if (r === undefined) throw FlowAction.cancel;
    return r;
  }

  /** Shows a QuickPick; resolves to the item taken (Back and Escape leave the step through the flow). */
  async showQuickPick<T extends vscode.QuickPickItem>(o: StepFrame & PickOptions<T>): Promise<T> {
    return MultiStepInput.taken(await pickStep({ ...o, ...this.frame(o) }));
  }

  /** Shows an InputBox; resolves to the accepted text (never one `validate` refuses). */
  async showInputBox(o: StepFrame & InputOptions): Promise<string> {
    return MultiStepInput.taken(await inputStep({ ...o, ...this.frame(o) }));
  }
}

interface Frame {
  title: string;
  step: number;
  totalSteps: number;
  /** Offer the Back button (not on the first step). */
  back: boolean;
}

interface PickOptions<T extends vscode.QuickPickItem> {
  items: readonly T[];
  placeholder?: string;
  active?: T;
  /** Text already in the input (e.g. a model id typed before going Back). */
  value?: string;
  /**
   * Free text accepted as a choice: called as the user types; the item it returns is listed first
   * (and so is the one Enter takes), undefined lists only `items`.
   */
  typed?: (value: string) => T | undefined;
}

function pickStep<T extends vscode.QuickPickItem>(o: Frame & PickOptions<T>): Promise<StepResult<T>> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = o.title;
  qp.step = o.step;
  qp.totalSteps = o.totalSteps;
  qp.placeholder = o.placeholder;
  qp.ignoreFocusOut = true;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.buttons = o.back ? [vscode.QuickInputButtons.Back] : [];
  const own = o.value !== undefined ? o.typed?.(o.value) : undefined;
  if (o.value !== undefined) qp.value = o.value;
  qp.items = own ? [own, ...o.items] : o.items;
  const active = own ?? o.active;
  if (active) qp.activeItems = [active];
  return new Promise<StepResult<T>>((resolve) => {
    let done = false;
    const finish = (r: StepResult<T>) => {
      if (done) return;
      done = true;
      resolve(r);
      qp.dispose();
    };
    const typed = o.typed;
    if (typed) {
      qp.onDidChangeValue((v) => {
        const own = typed(v);
        qp.items = own ? [own, ...o.items] : o.items;
        if (own) qp.activeItems = [own];
      });
    }
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (chosen) finish(chosen);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

interface InputOptions {
  prompt: string;
  value?: string;
  placeholder?: string;
  /** An error message for the value, or undefined when it is acceptable. */
  validate?: (value: string) => string | undefined;
}

function inputStep(o: Frame & InputOptions): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  box.title = o.title;
  box.step = o.step;
  box.totalSteps = o.totalSteps;
  box.prompt = o.prompt;
  box.placeholder = o.placeholder;
  box.value = o.value ?? '';
  box.ignoreFocusOut = true;
  box.buttons = o.back ? [vscode.QuickInputButtons.Back] : [];
  const check = (v: string) => (box.validationMessage = o.validate?.(v));
  check(box.value);
  return new Promise<StepResult<string>>((resolve) => {
    let done = false;
    const finish = (r: StepResult<string>) => {
      if (done) return;
      done = true;
      resolve(r);
      box.dispose();
    };
    box.onDidChangeValue(check);
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
    box.onDidAccept(() => {
      if (o.validate?.(box.value) === undefined) finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
