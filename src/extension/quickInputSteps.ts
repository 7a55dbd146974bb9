/**
 * One step of a multi-step quick input (a QuickPick or an InputBox with a title, "step n of m" and a
 * Back button): resolves to the choice, to BACK when the user goes back, or to undefined on Escape.
 */
import * as vscode from 'vscode';

export const BACK = Symbol('back');
export type StepResult<T> = T | typeof BACK | undefined;

export interface StepFrame {
  title: string;
  step: number;
  totalSteps: number;
  /** Offer the Back button (not on the first step). */
  back: boolean;
}

export interface PickStep<T extends vscode.QuickPickItem> extends StepFrame {
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

export function pickStep<T extends vscode.QuickPickItem>(o: PickStep<T>): Promise<StepResult<T>> {
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

export interface InputStep extends StepFrame {
  prompt: string;
  value?: string;
  placeholder?: string;
  /** An error message for the value, or undefined when it is acceptable. */
  validate?: (value: string) => string | undefined;
}

export function inputStep(o: InputStep): Promise<StepResult<string>> {
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
