import { render } from 'preact';
import '../ui/theme.css';
import './options.css';
import { setupPage } from '../ui/page';
import { Options } from './Options';

void setupPage('optionsTitle', () => render(<Options />, document.getElementById('app')!));
