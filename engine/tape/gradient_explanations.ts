// tf.debugging.enable/disableGradientExplanations: whether every op keeps the lineage explainGradient reads.
import { recording } from './recording_state';

export function enableGradientExplanations(): void {
  recording.lineage = true;
}

export function disableGradientExplanations(): void {
  recording.lineage = false;
}
