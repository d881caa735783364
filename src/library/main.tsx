import { render } from 'preact';
import '../ui/theme.css';
import './library.css';
import { setupPage } from '../ui/page';
import { Library } from './Library';

void setupPage('libraryTitle', () => render(<Library />, document.getElementById('app')!));
